package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import dev.infuse.model.io.HostTensor;
import java.util.Map;

/**
 * Anything that owns trainable weights: the encoder, a task head, a layer hook (an adapter), an objective
 * with parameters of its own. The trainer, freezing, checkpoints and {@code --resume} know parameters
 * only through this interface, by name, so a new module needs no change to any of them.
 *
 * <p>Names must be unique across everything trained together; the trainer refuses a clash.
 */
public interface ParameterOwner {
    /** The live parameters by name; arrays the optimizer updates in place. */
    Map<String, NDArray> parameters();

    /** Whether weight decay applies to {@code name}; by convention not to biases and norms. */
    default boolean decays(String name) {
        return !name.endsWith("bias") && !name.contains("LayerNorm") && !name.contains("layer_norm");
    }

    /**
     * State that is not a parameter but must survive a resume (a running baseline, a counter), by name.
     * Written into the checkpoint beside the parameters; names share the parameters' namespace.
     */
    default Map<String, HostTensor> checkpointState() {
        return Map.of();
    }

    /** Restores what {@link #checkpointState} returned; called on resume before the first step. */
    default void restoreCheckpointState(Map<String, HostTensor> state) {}
}
