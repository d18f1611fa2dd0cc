package dev.infuse.inject.zeo;

import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.inject.table.EntityRows;
import dev.infuse.inject.table.VectorTableFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * ZEO's frozen knowledge vectors: per entity, its description pooled by the base model. Training reads
 * them as constants (positives and negatives of the triplet loss), never as parameters.
 *
 * <p>Stored with the shared {@link VectorTableFile} layout (sums and counts; each row has count 1) under its
 * own format tag, so a PELT table is refused here and the other way round.
 */
public final class KnowledgeVectors extends EntityRows<KnowledgeVectors.Row> {
    static final String FORMAT = "infuse-zeo-vectors-1";

    /** One row's entity; the type drives negative sampling. */
    public record Row(String id, String name, String type) {
        public Row {
            type = type == null ? "" : type;
        }
    }

    private final float[] vectors; // (E, H) row-major

    public KnowledgeVectors(List<Row> rows, float[] vectors, int hidden, String modelFingerprint) {
        super(rows, Row::id, hidden, modelFingerprint, "vectors");
        if (vectors.length != rows.size() * hidden) {
            throw new IllegalArgumentException(rows.size() + " rows of size " + hidden + " but " + vectors.length + " values");
        }
        this.vectors = vectors;
    }

    public float[] vector(int row) {
        return Arrays.copyOfRange(vectors, row * hidden, (row + 1) * hidden);
    }

    /** Copies rows {@code rows} into {@code out} (N, H) flattened: the gather the loss needs, done in Java. */
    public void gather(int[] rowIds, float[] out) {
        for (int i = 0; i < rowIds.length; i++) {
            System.arraycopy(vectors, rowIds[i] * hidden, out, i * hidden, hidden);
        }
    }

    public void write(Path file) {
        float[] ones = new float[rows.size()];
        Arrays.fill(ones, 1f);
        VectorTableFile.write(file, FORMAT, modelFingerprint, rows, vectors, ones, hidden);
    }

    public static KnowledgeVectors read(Path file) {
        VectorTableFile.Contents<Row> c = VectorTableFile.read(file, FORMAT, "knowledge vectors", "ZEO vector table",
                new TypeToken<List<Row>>() {}.getType(), Row::id);
        float[] v = c.sums();
        for (int r = 0; r < c.rows().size(); r++) { // sums / counts: a table built in several passes stays a mean
            float n = c.counts()[r];
            if (!(n > 0)) {
                throw new InfuseException("corrupt knowledge vectors " + file + ": entity " + c.rows().get(r).id() + " has count " + n);
            }
            for (int d = 0; d < c.hidden(); d++) {
                v[r * c.hidden() + d] /= n;
            }
        }
        return new KnowledgeVectors(c.rows(), v, c.hidden(), c.modelFingerprint());
    }
}
