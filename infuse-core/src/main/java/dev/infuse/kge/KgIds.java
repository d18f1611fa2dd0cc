package dev.infuse.kge;

import dev.infuse.InfuseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity and relation dictionaries: id to row and back. Rows are the order of first appearance, or the
 * order of a dictionary file given beside the triples (so that entities seen only in valid or test, 210 of
 * WN18RR's test triples, have a row and are ranked rather than refused).
 */
public final class KgIds {
    private final List<String> entities;
    private final List<String> relations;
    private final Map<String, Integer> entityRow = new HashMap<>();
    private final Map<String, Integer> relationRow = new HashMap<>();

    public KgIds(List<String> entities, List<String> relations) {
        this.entities = List.copyOf(entities);
        this.relations = List.copyOf(relations);
        index(this.entities, entityRow, "entity");
        index(this.relations, relationRow, "relation");
    }

    private static void index(List<String> ids, Map<String, Integer> rows, String what) {
        for (int i = 0; i < ids.size(); i++) {
            if (rows.put(ids.get(i), i) != null) {
                throw new InfuseException("the " + what + " \"" + ids.get(i) + "\" is listed twice");
            }
        }
    }

    /**
     * The dictionaries of {@code triples}, after the ids of {@code entities} and {@code relations} (either may be
     * empty); ids the triples add come after, in order of first appearance.
     */
    public static KgIds of(List<String> entities, List<String> relations, List<List<TripleFile.Row>> triples) {
        List<String> e = new ArrayList<>(entities);
        List<String> r = new ArrayList<>(relations);
        java.util.Set<String> seenE = new java.util.HashSet<>(e);
        java.util.Set<String> seenR = new java.util.HashSet<>(r);
        for (List<TripleFile.Row> file : triples) {
            for (TripleFile.Row t : file) {
                if (seenE.add(t.head())) {
                    e.add(t.head());
                }
                if (seenR.add(t.relation())) {
                    r.add(t.relation());
                }
                if (seenE.add(t.tail())) {
                    e.add(t.tail());
                }
            }
        }
        return new KgIds(e, r);
    }

    /** The triples as rows of this dictionary; an id it lacks is one error naming the file and line. */
    public Triples index(List<TripleFile.Row> rows, String context) {
        int n = rows.size();
        int[] h = new int[n];
        int[] r = new int[n];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            TripleFile.Row row = rows.get(i);
            h[i] = row(entityRow, row.head(), "entity", row, context);
            r[i] = row(relationRow, row.relation(), "relation", row, context);
            t[i] = row(entityRow, row.tail(), "entity", row, context);
        }
        return new Triples(h, r, t);
    }

    /**
     * The triples whose ids all have rows; others are dropped: a filter file may name entities the table never
     * saw, and such a triple can never be a candidate anyway.
     */
    public Triples indexKnown(List<TripleFile.Row> rows) {
        List<int[]> kept = new ArrayList<>();
        for (TripleFile.Row row : rows) {
            Integer h = entityRow.get(row.head());
            Integer r = relationRow.get(row.relation());
            Integer t = entityRow.get(row.tail());
            if (h != null && r != null && t != null) {
                kept.add(new int[] {h, r, t});
            }
        }
        return new Triples(kept.stream().mapToInt(a -> a[0]).toArray(), kept.stream().mapToInt(a -> a[1]).toArray(),
                kept.stream().mapToInt(a -> a[2]).toArray());
    }

    private static int row(Map<String, Integer> rows, String id, String what, TripleFile.Row at, String context) {
        Integer i = rows.get(id);
        if (i == null) {
            throw new InfuseException(at.where() + ": unknown " + what + " \"" + id + "\": " + context);
        }
        return i;
    }

    public List<String> entities() {
        return entities;
    }

    public List<String> relations() {
        return relations;
    }
}
