package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A module inside the encoder's layers: an adapter, LoRA, a fusion layer. {@link BertModel} consults it at
 * three kinds of places in every layer:
 *
 * <pre>
 *   q = linear("attention.self.query", x)        ... and key, value, attention.output.dense,
 *                                                   intermediate.dense, output.dense: {@link #linear}
 *   a = block(AFTER_ATTENTION,    h = output(attention(x)), x)
 *   y = block(AFTER_FEED_FORWARD, h = output(feedForward(a)), a)
 * </pre>
 *
 * where {@code h} is the sub-layer's output after its dropout, and the plain block is {@code LayerNorm(h + x)}.
 * {@link #output} changes h before the residual sum (Houlsby's adapters sit there); a hook that {@link
 * #ownsBlock owns} a block computes it whole from h, the residual x and the block's LayerNorm (AdapterHub's
 * Pfeiffer layout); {@link #linear} sees a projection's input and its base output (LoRA adds {@code B·A·x}).
 * Every method has a default that changes nothing, and with no hook the forward pass is the plain model's.
 * Its parameters train, freeze and checkpoint by name like any other {@link ParameterOwner}'s.
 *
 * <p>Memory: a hook must not keep the tensors it is given (the layer closes them once it is done with them;
 * autograd keeps what its backward needs on its own), and should put its input first in every op
 * ({@code x.matMul(w)}) so intermediates land in the layer's scope; see docs/DJL.md for the scalar rule.
 */
public interface LayerHook extends ParameterOwner {
    enum Point { AFTER_ATTENTION, AFTER_FEED_FORWARD }

    /** The projections {@link #linear} may wrap, by their Hugging Face names within a layer, as PEFT's target_modules. */
    List<String> LINEAR_MODULES = List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "intermediate.dense", "output.dense");

    /**
     * One residual block as a hook sees it.
     *
     * @param output the sub-layer's output h after dropout (B, T, H)
     * @param residual the block's input x, added back before the LayerNorm (B, T, H)
     * @param norm the block's own LayerNorm
     */
    record Block(Point point, int layer, NDArray output, NDArray residual, UnaryOperator<NDArray> norm, ForwardContext context,
            boolean training) {
        public Block withOutput(NDArray h) {
            return new Block(point, layer, h, residual, norm, context, training);
        }
    }

    /** The sub-layer's output as the residual sum receives it; returns {@code b.output()} itself or a new tensor (B, T, H). */
    default NDArray output(Block b) {
        return b.output();
    }

    /** Whether this hook computes the whole block at (point, layer) with {@link #block}; at most one hook may. */
    default boolean ownsBlock(Point point, int layer) {
        return false;
    }

    /** The block's output (B, T, H) from {@code b.output()} (already through every hook's {@link #output}). */
    default NDArray block(Block b) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " owns no block");
    }

    /** Whether {@link #linear} changes projection {@code module} (one of {@link #LINEAR_MODULES}) of {@code layer}. */
    default boolean wraps(int layer, String module) {
        return false;
    }

    /**
     * The projection's output from its input {@code x} (B, T, in) and its base output {@code base = x·Wᵀ + b}
     * (B, T, out); returns {@code base} itself or a new tensor.
     */
    default NDArray linear(int layer, String module, NDArray x, NDArray base, ForwardContext context, boolean training) {
        return base;
    }
}
