package dev.infuse.inject.table;

import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-row vector sums and counts of a table build in progress, checkpointed atomically beside the output
 * as {@code OUTPUT.partial} together with how many chunks are done (and batches of the next one, when a
 * signal stopped the build inside it) and the key of the settings that made them. Shared by every method whose table is "encode things, add each vector to its entity's row".
 */
public final class RowSums {
    private static final String FORMAT = "infuse-pelt-partial-1"; // kept: partial files of older PELT builds still resume

    private final Path file;
    private final String key;
    private final int hidden;
    private final float[] sums; // (rows, hidden)
    private final float[] counts; // (rows)
    private int chunksDone;
    private int batchesDone; // of the chunk after the done ones: a signal can stop a build inside a chunk

    private RowSums(Path file, String key, int rows, int hidden) {
        this.file = file;
        this.key = key;
        this.hidden = hidden;
        this.sums = new float[rows * hidden];
        this.counts = new float[rows];
    }

    /** A fresh state, or the saved one when it was made with the same key (model, inputs, settings). */
    /**
     * What a resume key adds for the model's precision: nothing for fp32 (so keys written before bf16
     * existed still match), "|bf16" otherwise, so a build never resumes from sums of the other precision.
     */
    public static String precisionKey(dev.infuse.model.BertModel model) {
        dev.infuse.engine.Precision p = model.precision();
        return p == dev.infuse.engine.Precision.FP32 ? "" : "|" + p.label();
    }

    public static RowSums resume(Path output, String key, int rows, int hidden, Consumer<String> log) {
        Path file = output.resolveSibling(output.getFileName() + ".partial");
        RowSums s = new RowSums(file, key, rows, hidden);
        if (!Files.exists(file)) {
            return s;
        }
        Map<String, String> meta = new HashMap<>();
        try {
            Map<String, HostTensor> t = Safetensors.readWithMetadata(file, meta);
            if (FORMAT.equals(meta.get("format")) && key.equals(meta.get("key")) && t.get("sums").data().remaining() == s.sums.length
                    && t.get("counts").data().remaining() == s.counts.length) {
                t.get("sums").data().duplicate().get(s.sums);
                t.get("counts").data().duplicate().get(s.counts);
                s.chunksDone = Integer.parseInt(meta.get("chunks_done"));
                s.batchesDone = Integer.parseInt(meta.getOrDefault("batches_done", "0")); // absent in older partial files
                log.accept("resuming the build from " + file + " (" + s.chunksDone + " chunks " + (s.batchesDone > 0 ? "and " + s.batchesDone
                        + " batches " : "") + "done)");
                return s;
            }
            log.accept("starting over: " + file + " was made with other settings, model or inputs (" + KeyDiff.of(meta.get("key"), key)
                    + "), so its sums cannot be continued");
        } catch (RuntimeException e) {
            log.accept("ignoring unreadable " + file + ": " + e.getMessage());
        }
        return new RowSums(file, key, rows, hidden);
    }

    /** Where {@link #save} writes. */
    public Path file() {
        return file;
    }

    public int chunksDone() {
        return chunksDone;
    }

    /** Batches of the next chunk already in the sums. */
    public int batchesDone() {
        return batchesDone;
    }

    public int hidden() {
        return hidden;
    }

    public int rows() {
        return counts.length;
    }

    /** Adds vector {@code i} of {@code vectors} (N, H flattened) to {@code row}. */
    public void add(int row, float[] vectors, int i) {
        counts[row] += 1;
        int dst = row * hidden;
        int src = i * hidden;
        for (int d = 0; d < hidden; d++) {
            sums[dst + d] += vectors[src + d];
        }
    }

    public float count(int row) {
        return counts[row];
    }

    /** A copy of one row's sum. */
    public float[] sum(int row) {
        return java.util.Arrays.copyOfRange(sums, row * hidden, (row + 1) * hidden);
    }

    void chunkDone() {
        chunksDone++;
        batchesDone = 0;
    }

    void batchDone() {
        batchesDone++;
    }

    void save() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("sums", new HostTensor(new long[] {counts.length, hidden}, FloatBuffer.wrap(sums)));
        t.put("counts", new HostTensor(new long[] {counts.length}, FloatBuffer.wrap(counts)));
        Safetensors.write(file, t, Map.of("format", FORMAT, "key", key, "chunks_done", Integer.toString(chunksDone),
                "batches_done", Integer.toString(batchesDone)));
    }

    /** Removes the checkpoint once the finished table is written. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale partial file is harmless: its key no longer matches a finished table's absence.
        }
    }
}
