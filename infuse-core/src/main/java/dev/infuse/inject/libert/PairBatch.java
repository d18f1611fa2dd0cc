package dev.infuse.inject.libert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One batch of word pairs: {@code size} related pairs drawn from the relation list, each followed by its two
 * negatives, (w1, nearest(w2)) and (nearest(w1), w2), where nearest looks among the batch's other words and never
 * at the pair's own two, so a negative can never repeat its positive.
 *
 * @param pairs (w1, w2) rows, positive then its two negatives
 * @param labels 1 for related, 0 for a negative
 */
record PairBatch(List<String[]> pairs, long[] labels) {
    /** A word's nearest neighbour among candidates, by whatever similarity the caller measures. */
    interface Nearest {
        String to(String word, List<String> candidates);
    }

    static PairBatch draw(List<String[]> relations, int size, Random rng, Nearest nearest) {
        List<String[]> positives = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            positives.add(relations.get(rng.nextInt(relations.size())));
        }
        Map<String, Boolean> words = new LinkedHashMap<>();
        positives.forEach(p -> {
            words.put(p[0], true);
            words.put(p[1], true);
        });
        List<String[]> rows = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (String[] p : positives) {
            List<String> others = words.keySet().stream().filter(w -> !w.equals(p[0]) && !w.equals(p[1])).toList();
            rows.add(p);
            labels.add(1L);
            if (others.isEmpty()) {
                continue; // a batch of one pair has no other word to swap in
            }
            rows.add(new String[] {p[0], nearest.to(p[1], others)});
            labels.add(0L);
            rows.add(new String[] {nearest.to(p[0], others), p[1]});
            labels.add(0L);
        }
        return new PairBatch(rows, labels.stream().mapToLong(Long::longValue).toArray());
    }
}
