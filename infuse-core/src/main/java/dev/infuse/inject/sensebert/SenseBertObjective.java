package dev.infuse.inject.sensebert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Tensors;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.LinearHead;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SenseBERT's supersense term: a linear head (H → 45) on the final state of every masked token that is a whole
 * word with WordNet senses, trained with SenseBERT's loss over the word's allowed senses. It reads the masks MLM
 * made, so {@code mlm+sensebert} scores both from one forward pass.
 */
final class SenseBertObjective implements Objective {
    static final String WEIGHT = "sensebert.head.weight";
    static final String BIAS = "sensebert.head.bias";

    private final VocabSenses vocab;
    private final LinearHead head; // H -> S

    SenseBertObjective(VocabSenses vocab, int hidden, long seed) {
        this.vocab = vocab;
        this.head = new LinearHead("sensebert.head", vocab.senses(), hidden, seed);
    }

    @Override
    public NDArray loss(MlmForward f) {
        MlmBatch batch = f.batch();
        long[][] ids = batch.input().inputIds();
        int t = batch.input().length();
        Map<Long, Long> original = new java.util.HashMap<>(); // flat position -> the token the mask hides
        for (int i = 0; i < batch.positions().length; i++) {
            original.put(batch.positions()[i], batch.labels()[i]);
        }
        List<Long> picked = new ArrayList<>();
        List<int[]> allowed = new ArrayList<>();
        for (int i = 0; i < batch.positions().length; i++) {
            long pos = batch.positions()[i];
            long token = batch.labels()[i];
            int row = (int) (pos / t);
            int col = (int) (pos % t);
            long next = col + 1 < t ? original.getOrDefault(pos + 1, ids[row][col + 1]) : -1;
            int[] a = vocab.allowed(token);
            if (a.length > 0 && !vocab.continues(next)) {
                picked.add(pos);
                allowed.add(a);
            }
        }
        if (picked.isEmpty()) {
            return null;
        }
        NDManager s = f.manager();
        int n = picked.size();
        int h = f.model().config().hiddenSize();
        NDArray states = f.lastHidden().reshape(-1, h).get(Tensors.copyOf(s, picked.stream().mapToLong(Long::longValue).toArray(), new Shape(n))); // (N, H)
        NDArray logits = head.apply(states); // (N, S)
        return loss(logits, mask(allowed, vocab.senses()), n, vocab.senses());
    }

    /** 1 where sense k is allowed for word i, row-major (N, S). */
    static float[] mask(List<int[]> allowed, int senses) {
        float[] m = new float[allowed.size() * senses];
        for (int i = 0; i < allowed.size(); i++) {
            for (int k : allowed.get(i)) {
                m[i * senses + k] = 1f;
            }
        }
        return m;
    }

    /**
     * The mean over words of {@code −log Σ_{s∈A} p(s) − (1/|A|) Σ_{s∈A} log p(s)}, from logits (N, S) and the
     * allowed-sense mask (N, S). The first term is a log-sum-exp over the allowed logits minus one over all of them.
     */
    static NDArray loss(NDArray logits, float[] allowedMask, int n, int senses) {
        NDManager s = logits.getManager();
        NDArray m = Tensors.copyOf(s, allowedMask, new Shape(n, senses)); // (N, S)
        float[] off = new float[allowedMask.length]; // built on the host: no Number overload may touch the graph (docs/DJL.md)
        for (int i = 0; i < off.length; i++) {
            off[i] = allowedMask[i] > 0 ? 0f : -1e4f;
        }
        NDArray outside = Tensors.copyOf(s, off, new Shape(n, senses)); // (N, S): 0 where allowed, -1e4 elsewhere
        NDArray logp = logits.logSoftmax(1); // (N, S)
        NDArray anyAllowed = logSumExp(logp.add(outside)); // (N): log Σ_{s∈A} p(s)
        NDArray meanAllowed = logp.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1})); // (N)
        return anyAllowed.add(meanAllowed).neg().mean(); // ()
    }

    private static NDArray logSumExp(NDArray a) {
        NDArray top = a.max(new int[] {1}, true); // (N, 1)
        return a.sub(top).exp().sum(new int[] {1}).log().add(top.squeeze(1)); // (N)
    }

    @Override
    public Map<String, NDArray> parameters() {
        return head.parameters();
    }

    @Override
    public void close() {
        head.close();
    }
}
