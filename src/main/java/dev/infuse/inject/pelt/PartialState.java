package dev.infuse.inject.pelt;

import dev.infuse.domain.Entity;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sums and counts of a build in progress, checkpointed atomically beside the output as
 * {@code OUTPUT.partial} together with how many chunks are done and the key of the settings that made them.
 */
final class PartialState {
    private static final String FORMAT = "infuse-pelt-partial-1";

    private final Path file;
    private final String key;
    private final int hidden;
    private final float[] sums;
    private final float[] counts;
    private int chunksDone;

    private PartialState(Path file, String key, int rows, int hidden) {
        this.file = file;
        this.key = key;
        this.hidden = hidden;
        this.sums = new float[rows * hidden];
        this.counts = new float[rows];
    }

    /** A fresh state, or the saved one when it was made with the same key (model, corpus, settings). */
    static PartialState resume(Path output, String key, int rows, int hidden, Consumer<String> log) {
        Path file = output.resolveSibling(output.getFileName() + ".partial");
        PartialState s = new PartialState(file, key, rows, hidden);
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
                log.accept("resuming the build from " + file + " (" + s.chunksDone + " chunks done)");
                return s;
            }
            log.accept("ignoring " + file + ": it was made with other settings, model or corpus");
        } catch (RuntimeException e) {
            log.accept("ignoring unreadable " + file + ": " + e.getMessage());
        }
        return new PartialState(file, key, rows, hidden);
    }

    int chunksDone() {
        return chunksDone;
    }

    void add(List<Occurrences.Window> batch, float[] vectors) {
        for (int b = 0; b < batch.size(); b++) {
            int row = batch.get(b).row();
            counts[row] += 1;
            int dst = row * hidden;
            int src = b * hidden;
            for (int d = 0; d < hidden; d++) {
                sums[dst + d] += vectors[src + d];
            }
        }
    }

    void chunkDone() {
        chunksDone++;
    }

    void save() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("sums", new HostTensor(new long[] {counts.length, hidden}, FloatBuffer.wrap(sums)));
        t.put("counts", new HostTensor(new long[] {counts.length}, FloatBuffer.wrap(counts)));
        Safetensors.write(file, t, Map.of("format", FORMAT, "key", key, "chunks_done", Integer.toString(chunksDone)));
    }

    /** The finished table: only entities with at least one occurrence get a row. */
    EntityTable toTable(List<Entity> entities, String fingerprint) {
        List<EntityTable.Row> rows = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                Entity e = entities.get(r);
                rows.add(new EntityTable.Row(e.id(), e.name(), e.aliases(), e.type()));
                keep.add(r);
            }
        }
        float[] s = new float[keep.size() * hidden];
        float[] c = new float[keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            System.arraycopy(sums, keep.get(i) * hidden, s, i * hidden, hidden);
            c[i] = counts[keep.get(i)];
        }
        return new EntityTable(rows, s, c, hidden, fingerprint);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale partial file is harmless: its key no longer matches a finished table's absence.
        }
    }
}
