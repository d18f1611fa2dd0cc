package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Tensors;
import java.util.Collection;

/**
 * Global-norm gradient clipping (as torch's {@code clip_grad_norm_}): the norm is taken over ALL gradients
 * together, and when it exceeds the limit every gradient is scaled by the same factor, so the update keeps
 * its direction. DJL's own {@code clipGrad} clamps each element, which changes the direction.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * The global L2 norm of the gradients of {@code params}: NaN or infinite when a gradient is.
     */
    public static double globalNorm(Collection<NDArray> params) {
        double sumSquares = 0;
        for (NDArray p : params) {
            // getGradient() hands out a new wrapper each time, and ops on it attach to the parameter's manager: close all.
            // norm() reduces in one pass; square().sum() would first allocate a gradient-sized temporary (440 MB for BERT-base).
            try (NDArray g = p.getGradient(); NDArray n = g.norm()) {
                double v = n.getFloat();
                sumSquares += v * v;
            }
        }
        return Math.sqrt(sumSquares);
    }

    /**
     * The factor every gradient is multiplied by so their global norm is at most {@code maxNorm}, as torch's
     * {@code clip_grad_norm_} computes it; 1 when the norm is within the limit or {@code maxNorm} is 0 (off).
     * The optimizer applies it in its own pass over the gradient instead of a separate one.
     */
    public static float factor(double norm, float maxNorm) {
        return maxNorm > 0 && norm > maxNorm && Double.isFinite(norm) ? (float) (maxNorm / (norm + 1e-6)) : 1f;
    }

    /**
     * Scales the gradients of {@code params} in place so their global L2 norm is at most {@code maxNorm}
     * (0: measure only), for callers that clip without the trainer's optimizer.
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(Collection<NDArray> params, float maxNorm, NDManager scratch) {
        double norm = globalNorm(params);
        float f = factor(norm, maxNorm);
        if (f != 1f) {
            try (NDArray c = Tensors.scalar(scratch, f)) {
                for (NDArray p : params) {
                    try (NDArray g = p.getGradient()) {
                        g.muli(c); // in place: the wrapper shares the gradient's storage
                    }
                }
            }
        }
        return norm;
    }
}
