package dev.infuse.inject.table;

import dev.infuse.InfuseException;
import dev.infuse.io.Progress;
import dev.infuse.io.StopSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The resumable engine behind every "encode items with a frozen model, add each vector to its row" table:
 * a producer thread streams raw items in a fixed order and prepares them (tokenizing, sorting) while the
 * model thread encodes the previous chunk. Work is cut into fixed chunks of raw items; after a chunk the
 * {@link RowSums} may be checkpointed, and a signal between two batches saves them there too. Chunks finished
 * by an earlier run are skipped without preparing them, and so are the batches of a chunk it stopped in; since
 * chunks and batches are deterministic, a resumed build adds the same vectors in the same order and ends
 * bit-identical to an uninterrupted one.
 *
 * @param <R> a raw item as the source streams it (a mention, an entity)
 * @param <T> a prepared item the encoder reads (a token window)
 */
public final class ChunkedBuild<R, T> {
    /** What a method supplies. */
    public interface Work<R, T> {
        /** Every raw item, in the same order on every call; runs on the producer thread. */
        void forEach(Consumer<R> sink);

        /** Turns one chunk into encoder items (may drop some, may reorder); runs on the producer thread. */
        List<T> prepare(List<R> chunk);

        /** The table row item {@code t} adds to. */
        int row(T item);

        /** The vectors of a batch, (N, H) flattened, in batch order; runs on the calling thread. */
        float[] encode(List<T> batch);
    }

    /**
     * @param label the progress bar's label
     * @param unit what {@code total} counts (raw items)
     * @param checkpointSeconds save the state after a chunk when this much time has passed since the last save
     */
    public record Settings(String label, String unit, int chunkSize, int batchSize, double checkpointSeconds) {
        public Settings {
            if (batchSize < 1 || chunkSize < batchSize) {
                throw new InfuseException("batch size must be at least 1 and at most the chunk size, got " + batchSize + " and " + chunkSize);
            }
        }
    }

    private static final Object END = new Object();

    private final Work<R, T> work;
    private final Settings settings;

    public ChunkedBuild(Work<R, T> work, Settings settings) {
        this.work = work;
        this.settings = settings;
    }

    /**
     * Runs the chunks not yet in {@code state}; {@code afterChunk} hears the chunks done after each one (and
     * its checkpoint). Returns the number of encoded items this run.
     */
    public long run(RowSums state, long totalRaw, IntConsumer afterChunk) {
        int resumed = state.chunksDone();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        Thread producer = new Thread(() -> produce(resumed, queue), settings.label() + "-prepare");
        producer.setDaemon(true);
        producer.start();
        long encoded = 0;
        long lastSave = System.nanoTime();
        try (Progress progress = new Progress(settings.label(), totalRaw, settings.unit())) {
            progress.resumeAt(Math.min(totalRaw, (long) resumed * settings.chunkSize()));
            while (true) {
                Object item = take(queue);
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                if (item == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                Chunk<T> chunk = (Chunk<T>) item;
                // A resumed build may have stopped inside this chunk: its first batches are already in the sums.
                int from = Math.min(chunk.items().size(), state.batchesDone() * settings.batchSize());
                for (int i = from; i < chunk.items().size(); i += settings.batchSize()) {
                    stopPoint(state, totalRaw);
                    List<T> batch = chunk.items().subList(i, Math.min(chunk.items().size(), i + settings.batchSize()));
                    float[] vectors = work.encode(batch);
                    for (int b = 0; b < batch.size(); b++) {
                        state.add(work.row(batch.get(b)), vectors, b);
                    }
                    state.batchDone();
                }
                encoded += chunk.items().size();
                state.chunkDone();
                progress.step(chunk.raw());
                if ((System.nanoTime() - lastSave) / 1e9 >= settings.checkpointSeconds()) {
                    state.save();
                    lastSave = System.nanoTime();
                }
                afterChunk.accept(state.chunksDone());
            }
        }
        return encoded;
    }

    private record Chunk<T>(List<T> items, int raw) {}

    /**
     * Between two batches: on a signal, saves the sums as they are (whole chunks and the batches of this one done
     * so far, which {@link RowSums} records) and stops ({@link StopSignal}).
     */
    private void stopPoint(RowSums state, long totalRaw) {
        if (StopSignal.received() == null) {
            return;
        }
        long done = Math.min(totalRaw, (long) state.chunksDone() * settings.chunkSize() + (long) state.batchesDone() * settings.batchSize());
        String where = "after " + done + " of " + totalRaw + " " + settings.unit();
        if (state.chunksDone() == 0 && state.batchesDone() == 0) {
            StopSignal.check(() -> where + "; nothing to resume from, rerun the command to start again");
        }
        try (StopSignal.Writing w = StopSignal.writing()) {
            state.save();
        }
        StopSignal.check(() -> where + "; the finished batches are saved in " + state.file() + ", rerun the same command to continue");
    }

    private void produce(int skipChunks, BlockingQueue<Object> queue) {
        try {
            List<R> raw = new ArrayList<>();
            int[] index = {0};
            work.forEach(r -> {
                raw.add(r);
                if (raw.size() == settings.chunkSize()) {
                    emit(raw, index[0]++ < skipChunks, queue);
                    raw.clear();
                }
            });
            if (!raw.isEmpty()) {
                emit(raw, index[0] < skipChunks, queue);
            }
            put(queue, END);
        } catch (RuntimeException e) {
            put(queue, e);
        }
    }

    private void emit(List<R> raw, boolean skip, BlockingQueue<Object> queue) {
        if (!skip) {
            put(queue, new Chunk<>(work.prepare(List.copyOf(raw)), raw.size()));
        }
    }

    private static Object take(BlockingQueue<Object> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfuseException("interrupted");
        }
    }

    private static void put(BlockingQueue<Object> q, Object o) {
        try {
            q.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
