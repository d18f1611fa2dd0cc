package dev.infuse.inject.table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every per-entity vector table holds besides its numbers: the rows' entities in order, an index
 * from entity id to row, the vector size and the fingerprint of the model that made the vectors.
 *
 * @param <R> the row record, which names its entity
 */
public abstract class EntityRows<R> {
    protected final List<R> rows;
    protected final int hidden;
    protected final String modelFingerprint;
    private final Map<String, Integer> index = new HashMap<>();

    protected EntityRows(List<R> rows, Function<R, String> idOf, int hidden, String modelFingerprint, String what) {
        this.rows = List.copyOf(rows);
        this.hidden = hidden;
        this.modelFingerprint = modelFingerprint;
        for (int i = 0; i < rows.size(); i++) {
            if (index.put(idOf.apply(rows.get(i)), i) != null) {
                throw new IllegalArgumentException("entity " + idOf.apply(rows.get(i)) + " appears twice in the " + what);
            }
        }
    }

    public List<R> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public int hidden() {
        return hidden;
    }

    public String modelFingerprint() {
        return modelFingerprint;
    }

    /** The row of an entity, or -1 when it has none. */
    public int rowOf(String entityId) {
        return index.getOrDefault(entityId, -1);
    }

    public boolean contains(String entityId) {
        return index.containsKey(entityId);
    }
}
