package dev.infuse.inject.pelt;

import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.inject.table.EntityRows;
import dev.infuse.inject.table.VectorTableFile;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.MentionMatcher;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A PELT entity lookup table: per entity, the sum of its masked-mention vectors and their count, in the
 * space of the tied word embeddings of the model that built it.
 *
 * <p>One safetensors file ({@link VectorTableFile}, shared with ZEO) holds everything needed to use it without the domain bundle: {@code sums}
 * (E, H), {@code counts} (E), and in its metadata the rows' ids, names and aliases and the fingerprint of
 * the building model's weights.
 */
public final class EntityTable extends EntityRows<EntityTable.Row> {
    static final String FORMAT = "infuse-pelt-table-1";

    /** One row's entity: what the table needs to link mentions by itself. */
    public record Row(String id, String name, List<String> aliases, String type) {
        public Row {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            type = type == null ? "" : type;
        }
    }

    private final float[] sums; // (E, H) row-major
    private final float[] counts; // (E)

    public EntityTable(List<Row> rows, float[] sums, float[] counts, int hidden, String modelFingerprint) {
        super(rows, Row::id, hidden, modelFingerprint, "table");
        if (sums.length != rows.size() * hidden || counts.length != rows.size()) {
            throw new IllegalArgumentException("table of " + rows.size() + " rows and hidden " + hidden + " has " + sums.length
                    + " sums and " + counts.length + " counts");
        }
        this.sums = sums;
        this.counts = counts;
    }

    public float count(String entityId) {
        return counts[rowOf(entityId)];
    }

    /** The raw sum of an entity's vectors. */
    public float[] sum(String entityId) {
        int r = rowOf(entityId);
        return Arrays.copyOfRange(sums, r * hidden, (r + 1) * hidden);
    }

    /** The slot embedding {@code v / |v| * norm}; PELT found the norm matters little because LayerNorm follows. */
    public float[] vector(String entityId, float norm) {
        float[] v = sum(entityId);
        double sq = 0;
        for (float x : v) {
            sq += x * x;
        }
        float scale = (float) (norm / Math.sqrt(Math.max(sq, 1e-30)));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** Refuses a model other than the one that built the table: the vectors mean nothing elsewhere. */
    public void requireModel(MaskedLm lm, Path file) {
        if (lm.model().config().hiddenSize() != hidden) {
            throw new InfuseException("entity table " + file + " has vectors of size " + hidden + " but the model's hidden size is "
                    + lm.model().config().hiddenSize());
        }
        if (!lm.fingerprint().equals(modelFingerprint)) {
            throw new InfuseException("entity table " + file + " was built by another model (fingerprint "
                    + modelFingerprint.substring(0, 12) + ", this model is " + lm.fingerprint().substring(0, 12) + ")");
        }
    }

    /** A matcher over the rows' names and aliases, so text can be linked without the bundle. */
    public MentionMatcher matcher(boolean caseSensitive) {
        MentionMatcher.Builder b = MentionMatcher.builder().caseSensitive(caseSensitive);
        for (Row r : rows) {
            b.add(r.name(), r.id(), true);
            for (String a : r.aliases()) {
                b.add(a, r.id(), false);
            }
        }
        return b.build();
    }

    public void write(Path file) {
        VectorTableFile.write(file, FORMAT, modelFingerprint, rows, sums, counts, hidden);
    }

    /** Reads a table; anything that is not a whole, consistent table is refused with the reason. */
    public static EntityTable read(Path file) {
        VectorTableFile.Contents<Row> c = VectorTableFile.read(file, FORMAT, "entity table", "PELT table",
                new TypeToken<List<Row>>() {}.getType(), Row::id);
        return new EntityTable(c.rows(), c.sums(), c.counts(), c.hidden(), c.modelFingerprint());
    }
}
