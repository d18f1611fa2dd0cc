package dev.infuse.task;

import dev.infuse.train.BatchSource;
import dev.infuse.train.data.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Epochs over encoded training examples, shuffled and grouped by length ({@link LengthBatches}). The order of
 * an epoch comes from (seed, epoch), so the cursor (epoch, batch) is the whole state of the data side.
 */
final class TaskBatches implements BatchSource<TaskBatch> {
    private final List<Encoded> data;
    private final int batchSize;
    private final long seed;
    private final int perEpoch;
    private long epoch;
    private int at;
    private List<Integer> order; // of the current epoch, or null until needed

    TaskBatches(List<Encoded> data, int batchSize, long seed) {
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.perEpoch = (data.size() + batchSize - 1) / batchSize;
    }

    int perEpoch() {
        return perEpoch;
    }

    @Override
    public TaskBatch next() {
        if (at == perEpoch) {
            epoch++;
            at = 0;
            order = null;
        }
        if (order == null) {
            List<Integer> lengths = data.stream().map(e -> e.row().length()).toList();
            order = LengthBatches.shuffledOrder(lengths, batchSize, new Random(seed * 1_000_003L + epoch));
        }
        List<Encoded> batch = new ArrayList<>();
        for (int i = at * batchSize; i < Math.min(data.size(), (at + 1) * batchSize); i++) {
            batch.add(data.get(order.get(i)));
        }
        at++;
        return new TaskBatch(batch);
    }

    @Override
    public Cursor cursor() {
        return new Cursor(epoch, at, 0, 0);
    }

    @Override
    public void seek(Cursor c) {
        epoch = c.epoch();
        at = (int) c.index();
        order = null;
    }
}
