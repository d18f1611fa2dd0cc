package dev.infuse.inject.kepler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Tensors;

/**
 * KEPLER's knowledge-embedding loss, TransE's distance with a margin:
 *
 * <pre>
 *   d(h, r, t) = gamma - ||h + r - t||_2
 *   L_KE = -( mean log sigma(d+) + mean log sigma(-d-) ) / 2
 * </pre>
 *
 * over the batch's true triples (d+) and their corruptions (d-), each true triple bringing a corrupted head and a
 * corrupted tail. {@code -log sigma(x)} is computed as {@code softplus(-x)}, which does not overflow. Every constant is a
 * 0-d array and every scaling goes through {@link Tensors#scale}: no Number overload touches the backward graph.
 */
public final class KeplerLoss {
    /** KEPLER's margin. */
    public static final float GAMMA = 4f;

    private KeplerLoss() {}

    /**
     * @param h heads (K, H), r relations (K, H), t tails (K, H)
     * @param negH corrupted heads (K, H), scored as (negH, r, t); negT corrupted tails (K, H), scored as (h, r, negT)
     * @return the loss ()
     */
    static NDArray loss(NDManager s, NDArray h, NDArray r, NDArray t, NDArray negH, NDArray negT, float gamma) {
        NDArray g = Tensors.scalar(s, gamma);
        NDArray hr = h.add(r); // (K, H)
        NDArray dPos = g.sub(norm(s, hr.sub(t))); // (K)
        NDArray dNeg = g.sub(norm(s, negH.add(r).sub(t)).concat(norm(s, hr.sub(negT)), 0)); // (2K)
        NDArray pos = softplus(dPos.neg()).mean(); // -mean log sigma(d+), ()
        NDArray neg = softplus(dNeg).mean(); // -mean log sigma(-d-), ()
        return Tensors.scale(pos.add(neg), 0.5f); // ()
    }

    /** ||x||_2 over the last axis, (K); the clamp keeps the gradient finite should a difference be exactly zero. */
    private static NDArray norm(NDManager s, NDArray x) {
        NDArray tiny = Tensors.scalar(s, 1e-30f);
        return x.square().sum(new int[] {1}).maximum(tiny).sqrt();
    }

    private static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }
}
