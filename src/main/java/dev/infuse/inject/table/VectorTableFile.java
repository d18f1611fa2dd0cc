package dev.infuse.inject.table;

import com.google.gson.Gson;
import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.lang.reflect.Type;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file layout every per-entity vector table shares: one safetensors file with {@code sums} (E, H) and
 * {@code counts} (E), and in its metadata a format tag, the fingerprint of the model that built it and
 * the rows as JSON. Each method keeps its own format tag so a PELT table is never read as a ZEO one.
 */
public final class VectorTableFile {
    private static final Gson GSON = new Gson();

    /** A table as read: rows, (E, H) sums and (E) counts. */
    public record Contents<W>(List<W> rows, float[] sums, float[] counts, int hidden, String modelFingerprint) {}

    private VectorTableFile() {}

    public static void write(Path file, String format, String modelFingerprint, List<?> rows, float[] sums, float[] counts, int hidden) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("sums", new HostTensor(new long[] {rows.size(), hidden}, FloatBuffer.wrap(sums)));
        t.put("counts", new HostTensor(new long[] {rows.size()}, FloatBuffer.wrap(counts)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", format);
        meta.put("model_fingerprint", modelFingerprint);
        meta.put("entities", GSON.toJson(rows));
        Safetensors.write(file, t, meta);
    }

    /**
     * Reads a table; anything that is not a whole, consistent table of this format is refused with the reason.
     *
     * @param noun names the table in errors ("entity table")
     * @param kind names the format in errors ("PELT table")
     * @param rowList the rows' JSON type, {@code List<Row>}
     */
    public static <W> Contents<W> read(Path file, String format, String noun, String kind, Type rowList) {
        if (!Files.isRegularFile(file)) {
            throw new InfuseException(noun + " not found: " + file);
        }
        Map<String, String> meta = new HashMap<>();
        Map<String, HostTensor> t;
        try {
            t = Safetensors.readWithMetadata(file, meta);
        } catch (InfuseException e) {
            throw new InfuseException("corrupt " + noun + ": " + e.getMessage());
        }
        if (!format.equals(meta.get("format")) || !t.containsKey("sums") || !t.containsKey("counts")
                || meta.get("model_fingerprint") == null || meta.get("entities") == null) {
            throw new InfuseException("corrupt " + noun + " " + file + ": not an infuse " + kind + " (format " + meta.get("format") + ")");
        }
        List<W> rows;
        try {
            rows = GSON.fromJson(meta.get("entities"), rowList);
        } catch (RuntimeException e) {
            throw new InfuseException("corrupt " + noun + " " + file + ": unreadable entity list");
        }
        HostTensor sums = t.get("sums");
        HostTensor counts = t.get("counts");
        if (sums.shape().length != 2 || sums.shape()[0] != rows.size() || counts.shape().length != 1
                || counts.shape()[0] != rows.size()) {
            throw new InfuseException("corrupt " + noun + " " + file + ": " + rows.size() + " entities but sums " + sums.shapeString()
                    + " and counts " + counts.shapeString());
        }
        float[] s = new float[sums.data().remaining()];
        sums.data().duplicate().get(s);
        float[] c = new float[counts.data().remaining()];
        counts.data().duplicate().get(c);
        return new Contents<>(rows, s, c, (int) sums.shape()[1], meta.get("model_fingerprint"));
    }
}
