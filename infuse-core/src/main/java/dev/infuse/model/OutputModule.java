package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A module after the encoder: it maps the encoder's output to the states a task head reads, possibly wider than
 * the encoder's hidden size. K-Adapter's stack reads chosen hidden states and returns {@code [last ; adapter]}
 * (2H); an ERNIE-style {@code kge-concat} would append one knowledge-graph vector per text (H + D). Where a
 * {@link LayerHook} changes the encoder from inside, this sits outside it and leaves the encoder's own
 * states as they are.
 *
 * <p>Output modules chain in stack order: the first gets the encoder's last hidden state, each next one what
 * the one before returned. Every one also sees the encoder's whole output, with every hidden state when any
 * module {@link #readsAllHiddenStates asks}. Memory as for a hook: put the input first in every op, so
 * intermediates land in the caller's scope, and no {@code Number} overloads (docs/DJL.md).
 */
public interface OutputModule extends ParameterOwner {
    /** The width of the states it returns when given states {@code width} wide. */
    int width(int width);

    /** Whether it reads the encoder's hidden states below the last ({@link BertInput#allHiddenStates}). */
    default boolean readsAllHiddenStates() {
        return false;
    }

    /**
     * The head's states (B, T, width(W)).
     *
     * @param states (B, T, W): the encoder's last hidden state, or what the output modules before this one made of it
     * @param encoder the encoder's own output, all L + 1 hidden states included when asked for
     * @param input the batch, for its padding mask, visibility and forward context
     * @param training whether dropout is on
     */
    NDArray forward(NDArray states, BertOutput encoder, BertInput input, boolean training);
}
