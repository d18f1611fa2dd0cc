package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * @param lastHidden the final layer's states (B, T, H)
 * @param hiddenStates when requested: the embedding output then every layer's output, L + 1 arrays of
 *     (B, T, H); otherwise empty
 */
public record BertOutput(NDArray lastHidden, List<NDArray> hiddenStates) {}
