package dev.infuse.inject.zeo;

import ai.djl.ndarray.NDArray;
import dev.infuse.engine.Tensors;

/**
 * Triplet margin loss as PyTorch's {@code TripletMarginLoss(margin=1, p=2)}: the mean over triplets of
 * {@code max(0, d(a, p) - d(a, n) + margin)} with {@code d(x, y) = |x - y + eps|_2}, eps = 1e-6 (torch's
 * pairwise_distance adds it so the gradient stays finite when two points coincide).
 *
 * <p>Scalars are real 0-d arrays, never DJL's Number overloads: those free their buffer while autograd
 * still reads it (docs/DJL.md).
 */
public final class Triplet {
    public static final float MARGIN = 1f;
    public static final float EPS = 1e-6f;

    private Triplet() {}

    /** @param anchor (N, H), the only input that carries a gradient; positive, negative (N, H) constants */
    public static NDArray loss(NDArray anchor, NDArray positive, NDArray negative) {
        NDArray eps = Tensors.scalar(anchor.getManager(), EPS);
        NDArray margin = Tensors.scalar(anchor.getManager(), MARGIN);
        NDArray zero = Tensors.scalar(anchor.getManager(), 0f);
        NDArray dp = anchor.sub(positive).add(eps).square().sum(new int[] {1}).sqrt(); // (N)
        NDArray dn = anchor.sub(negative).add(eps).square().sum(new int[] {1}).sqrt(); // (N)
        return dp.sub(dn).add(margin).maximum(zero).mean(); // ()
    }
}
