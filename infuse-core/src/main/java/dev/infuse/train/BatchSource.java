package dev.infuse.train;

import dev.infuse.train.data.Cursor;

/**
 * Where the loop takes its micro-batches from. A source holds no state beyond its cursor: every batch is a
 * function of (seed, cursor), so {@link #seek} to a checkpoint's cursor is a complete resume of the data side.
 */
public interface BatchSource<B extends Batch> extends AutoCloseable {
    B next();

    /** Where the next call of {@link #next} starts. */
    Cursor cursor();

    void seek(Cursor cursor);

    @Override
    default void close() {}
}
