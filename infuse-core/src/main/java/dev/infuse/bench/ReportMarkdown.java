package dev.infuse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders report.md: what was run, under which settings, and the numbers as mean ± sd over seeds. */
final class ReportMarkdown {
    static final String MISSING = "–";

    private record Column(String task, String metric, String bucket) {}

    private ReportMarkdown() {}

    static String render(String title, String command, Map<String, String> settings, ReportData data, List<MethodCost> costs) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append("## Settings\n\n");
        if (settings.isEmpty()) {
            md.append("- none recorded\n");
        }
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));

        md.append("\n## Summary\n\n");
        md.append("Primary metric per task and bucket; best in each column in bold. ")
                .append("Wall-clock is summed per method over every run: inject = pretraining or table building, tasks = every task run.\n\n");
        List<Column> summary = new ArrayList<>();
        for (String task : data.tasks()) {
            String metric = data.primary(task);
            for (String bucket : data.buckets(task, metric)) {
                summary.add(new Column(task, metric, bucket));
            }
        }
        table(md, data, summary, c -> c.task() + " " + c.metric() + " (" + c.bucket() + ")", wallClock(costs));

        for (String task : data.tasks()) {
            md.append("\n## ").append(task).append("\n\n");
            List<Column> detail = new ArrayList<>();
            for (String metric : data.metrics(task)) {
                for (String bucket : data.buckets(task, metric)) {
                    detail.add(new Column(task, metric, bucket));
                }
            }
            table(md, data, detail, c -> c.metric() + " (" + c.bucket() + ")", Map.of());
        }

        int n = data.seeds().size();
        md.append("\nSeeds: ").append(n).append(" (")
                .append(data.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(n > 1 ? "). Cells are the mean ± sample standard deviation (n-1) over the seeds a method ran; "
                        : "). Cells are single-run values, so there is no spread to show; ")
                .append(MISSING).append(" means the method was not run there.\n");
        return md.toString();
    }

    /**
     * One row per method. The extra columns (wall-clock) are keyed by header then method and are never bolded:
     * a method that injects nothing would always "win" there, which says nothing about it.
     */
    private static void table(StringBuilder md, ReportData data, List<Column> columns,
            java.util.function.Function<Column, String> header, Map<String, Map<String, String>> extra) {
        List<String> methods = data.methods();
        String[][] cells = new String[methods.size()][columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            Column c = columns.get(j);
            List<ReportData.Cell> col = new ArrayList<>();
            for (String method : methods) {
                col.add(data.cell(method, c.task(), c.metric(), c.bucket()));
            }
            String best = best(col, ReportData.lowerIsBetter(c.metric()));
            for (int i = 0; i < methods.size(); i++) {
                ReportData.Cell cell = col.get(i);
                String text = cell == null ? MISSING : cell.text();
                cells[i][j] = best != null && cell != null && rounded(cell.mean()).equals(best) ? "**" + text + "**" : text;
            }
        }
        md.append("| method");
        columns.forEach(c -> md.append(" | ").append(escape(header.apply(c))));
        extra.keySet().forEach(h -> md.append(" | ").append(h));
        md.append(" |\n|---");
        md.append(" | ---:".repeat(columns.size() + extra.size())).append(" |\n");
        for (int i = 0; i < methods.size(); i++) {
            md.append("| ").append(escape(methods.get(i)));
            for (String cell : cells[i]) {
                md.append(" | ").append(cell);
            }
            for (Map<String, String> byMethod : extra.values()) {
                md.append(" | ").append(byMethod.getOrDefault(methods.get(i), MISSING));
            }
            md.append(" |\n");
        }
    }

    /** The best mean as printed, so that ties at three decimals are all bold; null when there is nothing to compare. */
    private static String best(List<ReportData.Cell> column, boolean lowerIsBetter) {
        double best = Double.NaN;
        int present = 0;
        for (ReportData.Cell c : column) {
            if (c != null) {
                present++;
                if (Double.isNaN(best) || (lowerIsBetter ? c.mean() < best : c.mean() > best)) {
                    best = c.mean();
                }
            }
        }
        return present > 1 ? rounded(best) : null;
    }

    private static String rounded(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** Summed per method, because a caller may report one cost per seed. */
    private static Map<String, Map<String, String>> wallClock(List<MethodCost> costs) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (MethodCost c : costs) {
            double[] s = sums.computeIfAbsent(c.method(), m -> new double[2]);
            s[0] += c.injectSeconds();
            s[1] += c.taskSeconds();
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put("inject", new LinkedHashMap<>());
        out.put("tasks", new LinkedHashMap<>());
        sums.forEach((m, s) -> {
            out.get("inject").put(m, duration(s[0]));
            out.get("tasks").put(m, duration(s[1]));
        });
        return out;
    }

    /** Whole seconds: wall-clock differs from run to run by more than that anyway. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s == 0) {
            return seconds > 0 ? "<1s" : "0s";
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + "s";
    }

    /** A pipe in a method or metric name would otherwise split the cell. */
    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
