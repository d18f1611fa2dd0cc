package dev.infuse.kge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which entities complete a (head, relation, ?) or a (?, relation, tail) into a known triple: what filtered
 * ranking skips, and what negative sampling avoids drawing (as RotatE's reference sampler does). Each answer is a
 * sorted array, so a membership test is a binary search.
 */
public final class KnownTriples {
    private static final int[] NONE = new int[0];
    private final int relations;
    private final Map<Long, int[]> tailsOf = new HashMap<>(); // key (head, relation)
    private final Map<Long, int[]> headsOf = new HashMap<>(); // key (tail, relation)

    public KnownTriples(Triples all, int relations) {
        this.relations = relations;
        Map<Long, List<Integer>> tails = new HashMap<>();
        Map<Long, List<Integer>> heads = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            tails.computeIfAbsent(key(all.heads()[i], all.relations()[i]), k -> new ArrayList<>()).add(all.tails()[i]);
            heads.computeIfAbsent(key(all.tails()[i], all.relations()[i]), k -> new ArrayList<>()).add(all.heads()[i]);
        }
        tails.forEach((k, v) -> tailsOf.put(k, sortedUnique(v)));
        heads.forEach((k, v) -> headsOf.put(k, sortedUnique(v)));
    }

    private long key(int entity, int relation) {
        return (long) entity * relations + relation;
    }

    private static int[] sortedUnique(List<Integer> v) {
        return v.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    }

    /** The known tails of (head, relation), sorted. */
    public int[] tails(int head, int relation) {
        return tailsOf.getOrDefault(key(head, relation), NONE);
    }

    /** The known heads of (relation, tail), sorted. */
    public int[] heads(int tail, int relation) {
        return headsOf.getOrDefault(key(tail, relation), NONE);
    }

    /** The known answers of a query that corrupts the head ({@code corruptHead}) or the tail of triple i. */
    public int[] answers(Triples t, int i, boolean corruptHead) {
        return corruptHead ? heads(t.tails()[i], t.relations()[i]) : tails(t.heads()[i], t.relations()[i]);
    }

    public static boolean contains(int[] sorted, int entity) {
        return Arrays.binarySearch(sorted, entity) >= 0;
    }
}
