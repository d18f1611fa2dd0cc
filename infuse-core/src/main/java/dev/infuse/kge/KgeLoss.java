package dev.infuse.kge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Tensors;
import dev.infuse.train.BatchLoss;
import java.util.Map;

/**
 * The negative-sampling loss of Sun et al. (2019), per triple
 *
 * <pre>  L = -log sigma(gamma - d+) - sum_i p_i log sigma(d-_i - gamma)</pre>
 *
 * with p_i = 1/n (uniform) or a softmax over the negatives of alpha (gamma - d-_i), held constant in the backward
 * pass (self-adversarial: the negatives the model finds plausible weigh more). A negative that is a known answer of
 * the triple's query gets p_i = 0 (and n counts only the others). The batch's loss is the weighted mean
 * over its triples. The reference halves the same sum; Adam's update does not see the loss's scale, only the
 * regulariser's weight against it does (see {@link KgeSettings}).
 *
 * <p>An optional L3 penalty lambda (sum |E|^3 + sum |R|^3) over the whole tables is the reference's regulariser for
 * DistMult.
 */
public final class KgeLoss implements BatchLoss<KgeBatch> {
    private final KgeModel model;
    private final float alpha;
    private final float l3;

    /** @param alpha the self-adversarial temperature, or 0 for uniform weights */
    public KgeLoss(KgeModel model, float alpha, float l3) {
        this.model = model;
        this.alpha = alpha;
        this.l3 = l3;
    }

    @Override
    public NDArray loss(NDManager s, KgeBatch batch, boolean training) {
        int b = batch.size();
        if (b == 0) {
            // An epoch's short last batch may leave a chunk empty; the first chunk is never empty, so the penalty is not lost.
            return null;
        }
        int n = batch.perTriple();
        NDArray e = model.entities();
        NDArray fixedIds = Tensors.copyOf(s, batch.corruptHead() ? batch.tails() : batch.heads(), new Shape(b, 1));
        NDArray trueIds = Tensors.copyOf(s, batch.corruptHead() ? batch.heads() : batch.tails(), new Shape(b, 1));
        NDArray relIds = Tensors.copyOf(s, batch.relations(), new Shape(b, 1));
        NDArray negIds = Tensors.copyOf(s, batch.negatives(), new Shape(1, n));
        Scoring f = model.scoring();
        NDArray q = f.query(KgeModel.lookup(fixedIds, e), KgeModel.lookup(relIds, model.relations()), batch.corruptHead()); // (B, 1, De)
        NDArray dPos = f.pairwise(q, KgeModel.lookup(trueIds, e)).reshape(b); // (B)
        NDArray dNeg = f.distances(q, KgeModel.lookup(negIds, e)); // (B, N) from (1, N, De): the batch shares its negatives
        NDArray perTriple = tripleLoss(s, dPos, dNeg, model.config().gamma(), alpha, mask(s, batch)); // (B)
        NDArray loss = perTriple.mul(Tensors.copyOf(s, batch.weights(), new Shape(b))).sum(); // ()
        // The penalty reads the whole tables, so it is paid once a step (in the first micro-batch), not once a micro-batch.
        return l3 > 0 && batch.regularise() > 0 ? loss.add(Tensors.scale(l3Penalty(s), batch.regularise())) : loss;
    }

    /** (B, N): 0 for a negative, a large negative number for a known answer, so a softmax gives it no weight; null if none is known. */
    private static NDArray mask(NDManager s, KgeBatch batch) {
        boolean[] known = batch.known();
        float[] m = new float[known.length];
        boolean any = false;
        for (int i = 0; i < known.length; i++) {
            if (known[i]) {
                m[i] = -1e30f;
                any = true;
            }
        }
        return any ? Tensors.copyOf(s, m, new Shape(batch.size(), batch.perTriple())) : null;
    }

    /**
     * The loss of each triple (B) from its distance (B) and its negatives' (B, N), with {@code mask} (B, N) added to the
     * softmax's logits (null: every negative counts). Uses -log sigma(x) = softplus(-x), which torch computes without
     * overflow.
     */
    static NDArray tripleLoss(NDManager s, NDArray dPos, NDArray dNeg, float gamma, float alpha, NDArray mask) {
        NDArray g = Tensors.scalar(s, gamma);
        NDArray pos = softplus(dPos.sub(g)); // -log sigma(gamma - d+), (B)
        NDArray margins = g.sub(dNeg); // gamma - d-, (B, N)
        NDArray perNeg = softplus(margins); // -log sigma(d- - gamma), (B, N)
        // Uniform weights are the softmax of equal logits, so both kinds are one softmax, which the mask then applies to.
        NDArray logits = alpha > 0 ? Tensors.scale(margins, alpha) : margins.zerosLike(); // (B, N)
        if (mask != null) {
            logits = logits.add(mask);
        }
        NDArray p = logits.softmax(1).stopGradient(); // (B, N), a constant for backward
        return pos.add(perNeg.mul(p).sum(new int[] {1})); // (B)
    }

    private static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }

    /** lambda (sum |E|^3 + sum |R|^3), (); the cube as |x| x^2, since pow(Number) is one of DJL's unsafe scalar overloads. */
    private NDArray l3Penalty(NDManager s) {
        NDArray total = null;
        for (NDArray table : new NDArray[] {model.entities(), model.relations()}) {
            NDArray t = table.reshape(-1); // a view; everything computed from it must land in s, not the table's manager
            t.attach(s);
            NDArray cube = t.abs().mul(t.square()).sum();
            total = total == null ? cube : total.add(cube);
        }
        return Tensors.scale(total, l3);
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of(); // the tables are the model's, added to the trainer as their own module
    }

    public Map<String, Object> identity() {
        return Map.of("alpha", alpha, "l3", l3);
    }
}
