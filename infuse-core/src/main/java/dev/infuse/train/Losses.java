package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Training objectives, written so every intermediate attaches to the batch's manager. */
public final class Losses {
    private Losses() {}

    /**
     * Mean cross-entropy of {@code logits} (N, V) against integer {@code labels} (N); the log-probability of
     * each label is gathered, never a one-hot (N, V) matrix.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(-1); // (N, V)
        NDArray picked = logp.gather(labels.reshape(new Shape(labels.size(), 1)), 1); // (N, 1)
        return picked.mean().neg();
    }
}
