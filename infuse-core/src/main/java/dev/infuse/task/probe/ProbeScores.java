package dev.infuse.task.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Precision at 1 and 10 and mean reciprocal rank, overall, per relation and per bucket.
 *
 * <p>A prediction whose scores hold NaN has no rank: it counts as a miss (in the count, never a hit) and
 * is counted apart as {@code nan_predictions}, so a broken model shows up instead of scoring perfectly.
 */
public final class ProbeScores {
    /** Running sums for one group. */
    public static final class Metrics {
        private long count;
        private long hits1;
        private long hits10;
        private double reciprocal;
        private long nan;

        void add(int rank) {
            if (rank == UNRANKED) {
                count++;
                nan++;
                return;
            }
            count++;
            hits1 += rank == 1 ? 1 : 0;
            hits10 += rank <= 10 ? 1 : 0;
            reciprocal += 1.0 / rank;
        }

        public long count() {
            return count;
        }

        /** Predictions whose scores held NaN, each counted as a miss. */
        public long nanPredictions() {
            return nan;
        }

        public double pAt1() {
            return count == 0 ? 0 : (double) hits1 / count;
        }

        public double pAt10() {
            return count == 0 ? 0 : (double) hits10 / count;
        }

        public double mrr() {
            return count == 0 ? 0 : reciprocal / count;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("count", count);
            o.put("p_at_1", round(pAt1()));
            o.put("p_at_10", round(pAt10()));
            o.put("mrr", round(mrr()));
            o.put("nan_predictions", nan);
            return o;
        }

        private static double round(double v) {
            return Math.round(v * 1e6) / 1e6;
        }
    }

    /** The rank of a prediction whose scores hold NaN: it ranks nowhere. */
    static final int UNRANKED = 0;

    private final Metrics overall = new Metrics();
    private final Map<String, Metrics> byRelation = new TreeMap<>();
    private final Map<String, Metrics> byBucket = new TreeMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();

    /** Records the answer's 1-based rank among the candidate tokens, or {@link #UNRANKED}. */
    void add(ProbeItem item, int rank) {
        overall.add(rank);
        byRelation.computeIfAbsent(item.relation().isEmpty() ? "(none)" : item.relation(), k -> new Metrics()).add(rank);
        if (!item.bucket().isEmpty()) {
            byBucket.computeIfAbsent(item.bucket(), k -> new Metrics()).add(rank);
        }
    }

    void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    public Metrics overall() {
        return overall;
    }

    public Map<String, Metrics> byRelation() {
        return byRelation;
    }

    public Map<String, Metrics> byBucket() {
        return byBucket;
    }

    /** Probes not scored, counted by reason (for example an answer that is not one vocabulary token). */
    public Map<String, Integer> skipped() {
        return skipped;
    }

    /** A line for people when some predictions were NaN, else null. */
    public String nanNote() {
        long n = overall.nanPredictions();
        return n == 0 ? null : "warning: " + n + " of " + overall.count() + " predictions held NaN scores and were counted as misses";
    }

    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("overall", overall.toJson());
        Map<String, Object> rel = new LinkedHashMap<>();
        byRelation.forEach((k, v) -> rel.put(k, v.toJson()));
        o.put("by_relation", rel);
        Map<String, Object> buck = new LinkedHashMap<>();
        byBucket.forEach((k, v) -> buck.put(k, v.toJson()));
        o.put("by_bucket", buck);
        o.put("skipped", skipped.values().stream().mapToInt(Integer::intValue).sum());
        o.put("skipped_by_reason", skipped);
        return o;
    }
}
