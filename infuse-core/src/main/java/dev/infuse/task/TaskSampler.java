package dev.infuse.task;

import dev.infuse.mask.Masker;
import dev.infuse.train.Batch;
import dev.infuse.train.BatchSource;
import dev.infuse.train.EpochBatches;
import dev.infuse.train.data.Cursor;
import java.util.List;

/**
 * Multi-task batches: draw n picks task k with probability ∝ size_k^tau (from (seed, n) alone), then takes that
 * task's next batch. The cursor is the number of draws; seeking replays the picks to put every task's own epochs
 * where they were, so a resumed run sees the same batches.
 */
final class TaskSampler implements BatchSource<TaskSampler.Tagged> {
    /** A batch of task {@code task}. */
    record Tagged(int task, TaskBatch batch) implements Batch {
        @Override
        public int tokens() {
            return batch.tokens();
        }

        @Override
        public int predicted() {
            return batch.predicted();
        }
    }

    private final List<EpochBatches<TaskBatch>> sources;
    private final double[] cumulative;
    private final long seed;
    private long draws;

    TaskSampler(List<EpochBatches<TaskBatch>> sources, List<Integer> sizes, float tau, long seed) {
        this.sources = List.copyOf(sources);
        this.seed = seed;
        this.cumulative = new double[sizes.size()];
        double total = 0;
        for (int k = 0; k < sizes.size(); k++) {
            total += Math.pow(sizes.get(k), tau);
            cumulative[k] = total;
        }
        for (int k = 0; k < cumulative.length; k++) {
            cumulative[k] /= total;
        }
    }

    /** The task draw {@code n} picks. */
    int pick(long n) {
        double u = Masker.rngFor(seed + 17, n, 0).nextDouble();
        for (int k = 0; k < cumulative.length - 1; k++) {
            if (u < cumulative[k]) {
                return k;
            }
        }
        return cumulative.length - 1;
    }

    @Override
    public Tagged next() {
        int k = pick(draws++);
        return new Tagged(k, sources.get(k).next());
    }

    @Override
    public Cursor cursor() {
        return new Cursor(0, draws, 0, 0);
    }

    @Override
    public void seek(Cursor c) {
        long[] taken = new long[sources.size()];
        for (long n = 0; n < c.index(); n++) {
            taken[pick(n)]++;
        }
        for (int k = 0; k < sources.size(); k++) {
            int per = sources.get(k).perEpoch();
            sources.get(k).seek(new Cursor(taken[k] / per, taken[k] % per, 0, 0));
        }
        draws = c.index();
    }
}
