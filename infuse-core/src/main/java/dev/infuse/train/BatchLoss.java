package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.model.ParameterOwner;
import java.util.Map;

/**
 * What the loop minimises: the scalar loss of one micro-batch. Pretraining plugs in an MLM {@link Objective},
 * fine-tuning a task head's cross-entropy, the linear probe the same on cached features. A loss may own
 * parameters (a learned temperature, a policy) and checkpoint state; they train and resume with the rest.
 */
public interface BatchLoss<B extends Batch> extends ParameterOwner, AutoCloseable {
    /**
     * The loss () with every intermediate attached to {@code s}; null when nothing in the batch is scored,
     * which skips the micro-batch (no gradient, loss 0).
     */
    NDArray loss(NDManager s, B batch, boolean training);

    @Override
    default Map<String, NDArray> parameters() {
        return Map.of();
    }

    @Override
    default void close() {}
}
