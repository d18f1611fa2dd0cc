package dev.infuse.task;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Single-label scores shared by typing, relation and sentence classification: accuracy, micro-F1 (which
 * differs from accuracy only when some examples got no prediction, e.g. cut off by truncation), macro-F1
 * over the gold labels, and the same per bucket when examples carry one (FOLDOC typing: frequent/rare).
 */
public final class LabelScores {
    private LabelScores() {}

    /** @param predicted null where nothing was predicted; @param buckets null, or one bucket name per example */
    public static Scores of(List<String> gold, List<String> predicted, List<String> buckets) {
        Map<String, Object> all = counts(gold, predicted);
        if (buckets != null) {
            Map<String, List<Integer>> byBucket = new TreeMap<>();
            for (int i = 0; i < gold.size(); i++) {
                byBucket.computeIfAbsent(String.valueOf(buckets.get(i)), b -> new java.util.ArrayList<>()).add(i);
            }
            Map<String, Object> per = new LinkedHashMap<>();
            byBucket.forEach((b, idx) -> per.put(b, counts(idx.stream().map(gold::get).toList(),
                    idx.stream().map(predicted::get).toList())));
            all.put("per_bucket", per);
        }
        return new Scores("accuracy", (double) all.get("accuracy"), all);
    }

    static Map<String, Object> counts(List<String> gold, List<String> predicted) {
        int correct = 0;
        int made = 0;
        Set<String> labels = new LinkedHashSet<>(gold);
        Map<String, int[]> per = new TreeMap<>(); // label -> {tp, predicted, gold}
        for (int i = 0; i < gold.size(); i++) {
            String g = gold.get(i);
            String p = predicted.get(i);
            per.computeIfAbsent(g, k -> new int[3])[2]++;
            if (p != null) {
                made++;
                per.computeIfAbsent(p, k -> new int[3])[1]++;
                if (p.equals(g)) {
                    correct++;
                    per.get(g)[0]++;
                }
            }
        }
        double precision = made == 0 ? 0 : (double) correct / made;
        double recall = gold.isEmpty() ? 0 : (double) correct / gold.size();
        double macro = 0;
        for (String l : labels) {
            int[] c = per.get(l);
            macro += f1(c[1] == 0 ? 0 : (double) c[0] / c[1], (double) c[0] / c[2]);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("accuracy", recall); // correct over all examples: the same as recall here
        o.put("micro_f1", f1(precision, recall));
        o.put("macro_f1", labels.isEmpty() ? 0 : macro / labels.size());
        o.put("correct", correct);
        o.put("predicted", made);
        o.put("examples", gold.size());
        return o;
    }

    static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
