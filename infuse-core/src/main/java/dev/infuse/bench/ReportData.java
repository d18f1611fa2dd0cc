package dev.infuse.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The measurements grouped over seeds, in the order the report shows them; shared by the table and the chart. */
final class ReportData {
    /** Mean and sample spread of one (method, task, metric, bucket) over its seeds. */
    record Cell(double mean, double sd, int n) {
        /** Three decimals because the seeds rarely agree beyond that; one seed has no spread to show. */
        String text() {
            return n > 1 ? String.format(Locale.ROOT, "%.3f ± %.3f", mean, sd) : String.format(Locale.ROOT, "%.3f", mean);
        }
    }

    /** Reads better than "frequent, all, rare" or alphabetical: the overall figure first, then the head before the tail. */
    static final Comparator<String> BUCKET_ORDER = Comparator.comparingInt(ReportData::bucketRank)
            .thenComparing(Comparator.naturalOrder());

    private record Key(String method, String task, String metric, String bucket) {}

    private final Map<Key, List<Double>> values = new HashMap<>();
    private final List<String> methods;
    private final Map<String, Set<String>> metricsByTask = new LinkedHashMap<>();
    private final Map<String, Set<String>> bucketsByTaskMetric = new HashMap<>();
    private final Map<String, String> primary = new LinkedHashMap<>();
    private final Set<Long> seeds = new TreeSet<>();

    ReportData(List<Measurement> results, Map<String, String> primaryMetric, List<MethodCost> costs) {
        Set<String> seen = new LinkedHashSet<>();
        for (Measurement m : results) {
            seen.add(m.method());
            seeds.add(m.seed());
            metricsByTask.computeIfAbsent(m.task(), t -> new LinkedHashSet<>()).add(m.metric());
            bucketsByTaskMetric.computeIfAbsent(m.task() + "\n" + m.metric(), k -> new TreeSet<>(BUCKET_ORDER)).add(m.bucket());
            values.computeIfAbsent(new Key(m.method(), m.task(), m.metric(), m.bucket()), k -> new ArrayList<>()).add(m.value());
        }
        // A method that only has a cost (it failed before scoring anything) still gets a row, so the failure is visible.
        for (MethodCost c : costs) {
            seen.add(c.method());
        }
        methods = List.copyOf(seen);
        for (Map.Entry<String, Set<String>> e : metricsByTask.entrySet()) {
            String wanted = primaryMetric.get(e.getKey());
            // Falling back to the first metric keeps a long run's report usable when the caller forgot a task;
            // the column header names the metric actually shown, so nothing is hidden.
            primary.put(e.getKey(), wanted != null && e.getValue().contains(wanted) ? wanted : e.getValue().iterator().next());
        }
    }

    List<String> methods() {
        return methods;
    }

    /** Tasks in first-appearance order. */
    List<String> tasks() {
        return List.copyOf(metricsByTask.keySet());
    }

    List<String> metrics(String task) {
        return List.copyOf(metricsByTask.getOrDefault(task, Set.of()));
    }

    String primary(String task) {
        return primary.get(task);
    }

    List<String> buckets(String task, String metric) {
        return List.copyOf(bucketsByTaskMetric.getOrDefault(task + "\n" + metric, Set.of()));
    }

    Set<Long> seeds() {
        return seeds;
    }

    /** Null when the method was not run on that task, metric or bucket. */
    Cell cell(String method, String task, String metric, String bucket) {
        List<Double> v = values.get(new Key(method, task, metric, bucket));
        if (v == null) {
            return null;
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.size();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new Cell(mean, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0, v.size());
    }

    /** Losses, errors and ranks are better when small; everything the bench reports by default is better when large. */
    static boolean lowerIsBetter(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("loss") || m.contains("perplexity") || m.equals("ppl") || m.contains("error")
                || m.equals("rank") || m.equals("mean_rank");
    }

    private static int bucketRank(String bucket) {
        return switch (bucket) {
            case "all" -> 0;
            case "frequent" -> 1;
            case "rare" -> 2;
            default -> 3;
        };
    }
}
