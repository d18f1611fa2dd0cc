package dev.infuse.task.ner;

import dev.infuse.InfuseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Entity-level precision, recall and F1 as seqeval reports them: a predicted chunk counts only when a gold
 * chunk has the same type and both boundaries. Micro scores pool all types; per-type scores are kept too.
 */
public final class NerScores {
    /** Counts for one type (or all, for micro). */
    public record Counts(int correct, int predicted, int gold) {
        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    private final Map<String, int[]> byType = new TreeMap<>(); // type -> {correct, predicted, gold}

    /** Adds one sentence's gold and predicted tags (same length). */
    public void add(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new InfuseException("gold has " + gold.size() + " tags but the prediction " + predicted.size());
        }
        List<Chunk> g = Chunks.of(gold);
        List<Chunk> p = Chunks.of(predicted);
        Set<Chunk> goldSet = new HashSet<>(g);
        for (Chunk c : g) {
            counts(c.type())[2]++;
        }
        for (Chunk c : p) {
            counts(c.type())[1]++;
            if (goldSet.contains(c)) {
                counts(c.type())[0]++;
            }
        }
    }

    private int[] counts(String type) {
        return byType.computeIfAbsent(type, t -> new int[3]);
    }

    public Counts micro() {
        int[] sum = new int[3];
        for (int[] c : byType.values()) {
            for (int i = 0; i < 3; i++) {
                sum[i] += c[i];
            }
        }
        return new Counts(sum[0], sum[1], sum[2]);
    }

    public Map<String, Counts> perType() {
        Map<String, Counts> out = new LinkedHashMap<>();
        byType.forEach((t, c) -> out.put(t, new Counts(c[0], c[1], c[2])));
        return out;
    }

    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /** {"precision","recall","f1","per_type":{type:{...}}} for reports and {@code --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> o = new LinkedHashMap<>(countsMap(micro()));
        Map<String, Object> types = new LinkedHashMap<>();
        perType().forEach((t, c) -> types.put(t, countsMap(c)));
        o.put("per_type", types);
        return o;
    }

    static Map<String, Object> countsMap(Counts c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("precision", c.precision());
        o.put("recall", c.recall());
        o.put("f1", c.f1());
        o.put("correct", c.correct());
        o.put("predicted", c.predicted());
        o.put("gold", c.gold());
        return o;
    }
}
