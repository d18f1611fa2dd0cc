package dev.infuse.model;

import ai.djl.ndarray.NDArray;

/**
 * A module inside the encoder's layers: an adapter, a fusion layer. {@link BertModel} calls it at two points
 * of every layer, on the sub-layer's output after its dropout and before the residual sum and LayerNorm, where
 * Houlsby et al. put their adapters:
 *
 * <pre>
 *   a = LayerNorm(x + hook(AFTER_ATTENTION, attention(x)))
 *   y = LayerNorm(a + hook(AFTER_FEED_FORWARD, feedForward(a)))
 * </pre>
 *
 * A hook that does nothing at a point returns its input unchanged. Its parameters train, freeze and
 * checkpoint by name like any other {@link ParameterOwner}'s.
 *
 * <p>Memory: put the input first in every op ({@code x.matMul(w)}, not {@code w.matMul(x)}) so intermediates
 * attach to the layer's scope and are freed with it; see docs/DJL.md for the scalar rule.
 */
public interface LayerHook extends ParameterOwner {
    enum Point { AFTER_ATTENTION, AFTER_FEED_FORWARD }

    /**
     * Returns x itself, or a new tensor; in the second case the layer closes x's handle once this returns,
     * so a hook must not keep x for later (autograd keeps what its backward needs on its own).
     *
     * @param layer the encoder layer, from 0
     * @param x the sub-layer's output (B, T, H)
     * @return (B, T, H)
     */
    NDArray apply(Point point, int layer, NDArray x, boolean training);
}
