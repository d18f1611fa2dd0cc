package dev.infuse.inject.table;

import com.google.gson.Gson;
import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.lang.reflect.Type;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
     * @param idOf a row's entity id, to name unusable rows
     */
    public static <W> Contents<W> read(Path file, String format, String noun, String kind, Type rowList, Function<W, String> idOf) {
        if (!Files.isRegularFile(file)) {
            throw new InfuseException(noun + " not found: " + file);
        }
        Map<String, String> meta = new HashMap<>();
        Map<String, HostTensor> t;
        try {
            t = Safetensors.readWithMetadata(file, meta, false); // unusableRows names a non-finite row by its entity
        } catch (InfuseException e) {
            throw new InfuseException("corrupt " + noun + ": " + e.getMessage());
        }
        if (!format.equals(meta.get("format"))) {
            throw new InfuseException("corrupt " + noun + " " + file + ": not an infuse " + kind + " (its format is " + meta.get("format")
                    + ", expected " + format + ")");
        }
        for (String tensor : List.of("sums", "counts")) {
            if (!t.containsKey(tensor)) {
                throw new InfuseException("corrupt " + noun + " " + file + ": it has no \"" + tensor + "\" tensor");
            }
        }
        for (String key : List.of("model_fingerprint", "entities")) {
            if (meta.get(key) == null) {
                throw new InfuseException("corrupt " + noun + " " + file + ": its metadata has no \"" + key + "\"");
            }
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
        int hidden = (int) sums.shape()[1];
        String unusable = unusableRows(rows, idOf, s, c, hidden);
        if (unusable != null) {
            throw new InfuseException("corrupt " + noun + " " + file + ": " + unusable);
        }
        return new Contents<>(rows, s, c, hidden, meta.get("model_fingerprint"));
    }

    /**
     * Names the rows a lookup would turn into NaN or junk: a sum holding NaN or an infinity, or a count that
     * is not a positive finite number (the mean divides by it). Null when every row is usable.
     */
    static <W> String unusableRows(List<W> rows, Function<W, String> idOf, float[] sums, float[] counts, int hidden) {
        final int shown = 3;
        List<String> named = new ArrayList<>();
        int bad = 0;
        for (int r = 0; r < rows.size(); r++) {
            String why = null;
            float c = counts[r];
            if (!(c > 0) || Float.isInfinite(c)) {
                why = "count " + c;
            } else {
                for (int d = 0; d < hidden; d++) {
                    float x = sums[r * hidden + d];
                    if (Float.isNaN(x) || Float.isInfinite(x)) {
                        why = "sum holds " + x;
                        break;
                    }
                }
            }
            if (why != null) {
                bad++;
                if (named.size() < shown) {
                    named.add(idOf.apply(rows.get(r)) + " (" + why + ")");
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        return bad + " of " + rows.size() + " rows are unusable (NaN or infinite sum, or a count that is not positive): "
                + String.join(", ", named) + (bad > shown ? " and " + (bad - shown) + " more" : "");
    }
}
