package dev.infuse.inject.zeo;

import dev.infuse.InfuseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Type-aware negatives: for an anchor entity, rows of the vector table whose type differs from its own,
 * uniformly, with replacement. Rows are grouped by type once, so a draw is O(1) however skewed the types.
 */
public final class NegativeSampler {
    private final int[] byType; // row ids grouped by type
    private final int[] typeOf; // row -> type number
    private final int[] start; // type number -> first index in byType
    private final int[] size; // type number -> rows of that type

    /** Fails with the reason when the table cannot give every anchor a negative of another type. */
    public NegativeSampler(KnowledgeVectors vectors, String source) {
        List<KnowledgeVectors.Row> rows = vectors.rows();
        int untyped = 0;
        String first = null;
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            String t = rows.get(r).type();
            if (t.isBlank()) {
                untyped++;
                first = first == null ? rows.get(r).id() : first;
            }
            groups.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
        }
        if (untyped > 0) {
            throw new InfuseException("negatives must have a type different from the anchor's, but " + untyped + " of " + rows.size()
                    + " entities in " + source + " have no type (first: " + first + "); give every entity a \"type\" in entities.jsonl");
        }
        if (groups.size() < 2) {
            throw new InfuseException("negatives must have a type different from the anchor's, but every entity in " + source
                    + " has type \"" + groups.keySet().iterator().next() + "\"");
        }
        byType = new int[rows.size()];
        typeOf = new int[rows.size()];
        start = new int[groups.size()];
        size = new int[groups.size()];
        int t = 0;
        int at = 0;
        for (List<Integer> g : groups.values()) {
            start[t] = at;
            size[t] = g.size();
            for (int r : g) {
                byType[at++] = r;
                typeOf[r] = t;
            }
            t++;
        }
    }

    /** {@code n} rows, each of a type other than {@code anchorRow}'s. */
    public int[] sample(int anchorRow, int n, Random rng) {
        int t = typeOf[anchorRow];
        int others = byType.length - size[t];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int j = rng.nextInt(others);
            out[i] = byType[j < start[t] ? j : j + size[t]]; // skip the anchor's own block
        }
        return out;
    }
}
