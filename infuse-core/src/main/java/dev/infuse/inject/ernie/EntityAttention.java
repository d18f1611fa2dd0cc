package dev.infuse.inject.ernie;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import java.util.Map;

/**
 * The multi-head self-attention ERNIE's aggregator runs over a text's entity sequence before fusing it with the
 * tokens: each aligned entity reads the other entities of its text,
 *
 * <pre>
 *   e~ = LN(W_o · MultiHead(e W_q + b_q, e W_k + b_k, e W_v + b_v) + b_o + e)
 * </pre>
 *
 * BERT's self-attention block, sized to the KG vectors. Entity states live at their tokens' positions, (B, T, d), zero
 * where no entity is aligned; a key without an entity gets a bias of -10,000 (as BERT masks padding), so a query
 * attends only to its own text's entities, and the result is zero again away from them.
 */
final class EntityAttention {
    /** The parameters of one layer's block, under {@code prefix}: four (d, d) projections with biases, and a LayerNorm. */
    static final String[] PROJECTIONS = {"query", "key", "value", "output"};

    private EntityAttention() {}

    /** Checks that {@code heads} split {@code dim} evenly (0 heads: no attention). */
    static void check(int heads, int dim) {
        if (heads < 0 || (heads > 0 && dim % heads != 0)) {
            throw new InfuseException("--ernie-entity-heads " + heads + " must be 0 (none) or divide the KG vectors' " + dim + " dimensions");
        }
    }

    /** (B, 1, 1, T): 0 at a key with an entity, -10,000 elsewhere, from the entity mask (B, T, 1). */
    static NDArray keyBias(NDArray mask) {
        long b = mask.getShape().get(0);
        long t = mask.getShape().get(1);
        try (NDArray one = Tensors.scalar(mask.getManager(), 1f); NDArray off = mask.sub(one)) {
            return Tensors.scale(off, 10_000f).reshape(b, 1, 1, t);
        }
    }

    /**
     * e~ (B, T, d) from the entity states {@code e} (B, T, d), their mask (B, T, 1) and {@link #keyBias}, with the
     * parameters {@code prefix + "query.weight"}, ... {@code prefix + "LayerNorm.bias"} of {@code p}.
     */
    static NDArray apply(NDArray e, NDArray mask, NDArray keyBias, Map<String, NDArray> p, String prefix, int heads, float eps) {
        long b = e.getShape().get(0);
        long t = e.getShape().get(1);
        long d = e.getShape().get(2);
        long dh = d / heads;
        NDArray q = split(project(e, p, prefix + "query"), b, t, heads, dh); // (B, H, T, dh)
        NDArray k = split(project(e, p, prefix + "key"), b, t, heads, dh);
        NDArray v = split(project(e, p, prefix + "value"), b, t, heads, dh);
        NDArray scores = Tensors.scale(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(dh))).add(keyBias); // (B, H, T, T)
        NDArray context = scores.softmax(3).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d); // (B, T, d)
        NDArray sum = project(context, p, prefix + "output").add(e);
        NDArray normed = LayerNorm.layerNorm(sum, new Shape(d), p.get(prefix + "LayerNorm.weight"), p.get(prefix + "LayerNorm.bias"), eps)
                .singletonOrThrow();
        return normed.mul(mask);
    }

    private static NDArray project(NDArray x, Map<String, NDArray> p, String name) {
        return Linear.linear(x, p.get(name + ".weight"), p.get(name + ".bias")).singletonOrThrow();
    }

    private static NDArray split(NDArray x, long b, long t, long heads, long dh) {
        return x.reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    }
}
