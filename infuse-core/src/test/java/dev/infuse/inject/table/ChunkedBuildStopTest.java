package dev.infuse.inject.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal that comes while a batch is being encoded stops the build after that batch, in the middle of a chunk;
 * the saved state holds exactly the batches done, and the rerun adds the rest in the same order, so its sums are
 * bit-identical to an uninterrupted build's. No model: a batch's "vectors" are a fixed function of its items.
 */
class ChunkedBuildStopTest {
    static final int ITEMS = 23;
    static final int ROWS = 4;
    static final int HIDDEN = 3;

    @TempDir
    Path tmp;

    /** Items 0..22 in chunks of 6, batches of 2; prepare reverses a chunk, as a real one sorts it. */
    static final class Work implements ChunkedBuild.Work<Integer, Integer> {
        final int signalAtBatch;
        final List<Integer> encoded = new ArrayList<>();
        int batches;

        Work(int signalAtBatch) {
            this.signalAtBatch = signalAtBatch;
        }

        @Override
        public void forEach(Consumer<Integer> sink) {
            for (int i = 0; i < ITEMS; i++) {
                sink.accept(i);
            }
        }

        @Override
        public List<Integer> prepare(List<Integer> chunk) {
            List<Integer> r = new ArrayList<>(chunk);
            java.util.Collections.reverse(r);
            return r;
        }

        @Override
        public int row(Integer item) {
            return item % ROWS;
        }

        @Override
        public float[] encode(List<Integer> batch) {
            if (++batches == signalAtBatch) {
                StopSignal.request(StopSignal.Kind.TERM); // arrives during the batch, as during a forward pass
            }
            encoded.addAll(batch);
            float[] v = new float[batch.size() * HIDDEN];
            for (int b = 0; b < batch.size(); b++) {
                for (int d = 0; d < HIDDEN; d++) {
                    v[b * HIDDEN + d] = (float) Math.sin(batch.get(b) * 1.7 + d) / 3f; // sums that depend on their order
                }
            }
            return v;
        }
    }

    static ChunkedBuild<Integer, Integer> build(Work w) {
        return new ChunkedBuild<>(w, new ChunkedBuild.Settings("test", "items", 6, 2, 1e9));
    }

    @Test
    void aSignalInsideABatchStopsAfterItAndTheRerunEndsBitIdentical() {
        RowSums whole = RowSums.resume(tmp.resolve("whole.bin"), "k", ROWS, HIDDEN, s -> { });
        build(new Work(-1)).run(whole, ITEMS, c -> { });

        Path out = tmp.resolve("stopped.bin");
        Work first = new Work(5); // chunk 1 has batches 1-3: the fifth batch is the second of chunk 2
        Stopped e;
        try {
            e = assertThrows(Stopped.class, () -> build(first).run(RowSums.resume(out, "k", ROWS, HIDDEN, s -> { }), ITEMS, c -> { }));
        } finally {
            StopSignal.clear();
        }
        assertEquals(5, first.batches, "the batch the signal came in is finished, and no other starts");
        assertEquals("stopped by SIGTERM after 10 of 23 items; the finished batches are saved in " + out + ".partial, rerun the same"
                + " command to continue", e.line());

        List<String> log = new ArrayList<>();
        RowSums resumed = RowSums.resume(out, "k", ROWS, HIDDEN, log::add);
        assertEquals(1, resumed.chunksDone());
        assertEquals(2, resumed.batchesDone());
        Work rest = new Work(-1);
        build(rest).run(resumed, ITEMS, c -> { });
        List<Integer> all = new ArrayList<>(first.encoded);
        all.addAll(rest.encoded);
        assertEquals(ITEMS, all.size(), "every item encoded once across the two runs: " + all);
        assertTrue(log.get(0).contains("1 chunks and 2 batches done"), log.toString());
        for (int r = 0; r < ROWS; r++) {
            assertEquals(whole.count(r), resumed.count(r), 0f, "count of row " + r);
            assertArrayEquals(whole.sum(r), resumed.sum(r), "sum of row " + r); // compared bit for bit
        }
    }
}
