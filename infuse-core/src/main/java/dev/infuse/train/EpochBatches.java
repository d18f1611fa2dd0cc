package dev.infuse.train;

import dev.infuse.train.data.Cursor;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Epochs over a fixed set of examples, each epoch in its own order: the batch source of fine-tuning and of
 * the linear probe. An epoch's order is a function of the epoch alone (seeded by the caller), so the cursor
 * (epoch, batch) is the whole state of the data side and a resume re-derives the order.
 */
public final class EpochBatches<B extends Batch> implements BatchSource<B> {
    private final int size;
    private final int batchSize;
    private final LongFunction<List<Integer>> orderOf;
    private final Function<List<Integer>, B> batchOf;
    private final int perEpoch;
    private long epoch;
    private int at;
    private List<Integer> order; // of the current epoch, or null until needed

    /**
     * @param size examples per epoch
     * @param firstEpoch the number of the first epoch, which seeds its order
     * @param orderOf an epoch's order of the example indices
     * @param batchOf the batch of the given example indices
     */
    public EpochBatches(int size, int batchSize, long firstEpoch, LongFunction<List<Integer>> orderOf, Function<List<Integer>, B> batchOf) {
        this.size = size;
        this.batchSize = batchSize;
        this.orderOf = orderOf;
        this.batchOf = batchOf;
        this.perEpoch = (size + batchSize - 1) / batchSize;
        this.epoch = firstEpoch;
    }

    public int perEpoch() {
        return perEpoch;
    }

    @Override
    public B next() {
        if (at == perEpoch) {
            epoch++;
            at = 0;
            order = null;
        }
        if (order == null) {
            order = orderOf.apply(epoch);
        }
        List<Integer> batch = order.subList(at * batchSize, Math.min(size, (at + 1) * batchSize));
        at++;
        return batchOf.apply(batch);
    }

    @Override
    public Cursor cursor() {
        return new Cursor(epoch, at, 0, 0);
    }

    @Override
    public void seek(Cursor c) {
        if (c.index() > perEpoch || c.passage() != 0 || c.token() != 0) {
            throw new dev.infuse.InfuseException("cannot resume: the checkpoint's data cursor (epoch " + c.epoch() + ", batch " + c.index()
                    + ") lies outside an epoch of " + perEpoch + " batches; the checkpoint was not written for this data");
        }
        epoch = c.epoch();
        at = (int) c.index();
        order = null;
    }
}
