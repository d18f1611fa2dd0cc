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
     * Scales the gradients of {@code params} in place so their global L2 norm is at most {@code maxNorm}.
     *
     * @param maxNorm 0 measures without clipping
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clipGlobalNorm(Collection<NDArray> params, float maxNorm, NDManager scratch) {
        double sumSquares = 0;
        for (NDArray p : params) {
            // getGradient() hands out a new wrapper each time, and ops on it attach to the parameter's manager: close all.
            // norm() reduces in one pass; square().sum() would first allocate a gradient-sized temporary (440 MB for BERT-base).
            try (NDArray g = p.getGradient(); NDArray n = g.norm()) {
                double v = n.getFloat();
                sumSquares += v * v;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
            try (NDArray factor = Tensors.scalar(scratch, (float) (maxNorm / (norm + 1e-6)))) { // () as torch does
                for (NDArray p : params) {
                    try (NDArray g = p.getGradient()) {
                        g.muli(factor); // in place: the wrapper shares the gradient's storage
                    }
                }
            }
        }
        return norm;
    }
}
