package dev.infuse.bench;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/** Turns the numbers {@code infuse bench} measured into a directory a person can read: a table, the raw rows and a chart. */
public final class ComparisonReport {
    private ComparisonReport() {}

    /**
     * Writes dir/report.md, dir/results.csv and dir/chart.png, each atomically (temp file + rename), so an
     * interrupted run never leaves a half-written report next to the results it describes.
     *
     * @param title e.g. "infuse bench: data/foldoc/bundle"
     * @param command the command line that produced it, quoted in the report
     * @param settings ordered key -> value lines describing budget and defaults (printed as a list)
     * @param primary task -> the metric name shown in the summary table and the chart (e.g. probe -> "p@1")
     */
    public static void write(Path dir, String title, String command, Map<String, String> settings,
            Map<String, String> primary, List<Measurement> results, List<MethodCost> costs) {
        Objects.requireNonNull(dir, "dir");
        List<MethodCost> allCosts = costs == null ? List.of() : costs;
        validate(results, allCosts);
        ReportData data = new ReportData(results, primary == null ? Map.of() : primary, allCosts);
        // The raw rows first: they are what a later analysis needs if anything after them fails.
        AtomicFiles.writeString(dir.resolve("results.csv"), csv(results));
        AtomicFiles.writeString(dir.resolve("report.md"), ReportMarkdown.render(Objects.toString(title, "infuse bench"),
                Objects.toString(command, ""), settings == null ? Map.of() : settings, data, allCosts));
        BufferedImage chart = ReportChart.draw(data);
        AtomicFiles.write(dir.resolve("chart.png"), out -> {
            if (!ImageIO.write(chart, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    /** Checked up front so that a bad number fails before any file is replaced, not halfway through. */
    private static void validate(List<Measurement> results, List<MethodCost> costs) {
        if (results == null || results.isEmpty()) {
            throw new InfuseException("bench report: no measurements to report (expected at least one method x task x seed)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            Measurement m = results.get(i);
            if (m == null) {
                throw new InfuseException("bench report: measurement " + i + " is null");
            }
            for (String name : new String[] {m.method(), m.task(), m.metric(), m.bucket()}) {
                if (name == null || name.isBlank()) {
                    throw new InfuseException("bench report: measurement " + i + " has a blank method, task, metric or bucket: " + m);
                }
            }
            if (!Double.isFinite(m.value())) {
                throw new InfuseException("bench report: " + m.method() + " " + m.task() + " " + m.metric() + " (" + m.bucket()
                        + ", seed " + m.seed() + ") is " + m.value() + ", expected a finite number");
            }
            // A repeated row would silently count twice in the mean and shrink the spread.
            if (!seen.add(m.method() + "\n" + m.task() + "\n" + m.metric() + "\n" + m.bucket() + "\n" + m.seed())) {
                throw new InfuseException("bench report: " + m.method() + " " + m.task() + " " + m.metric() + " (" + m.bucket()
                        + ", seed " + m.seed() + ") is measured twice");
            }
        }
        for (MethodCost c : costs) {
            if (c == null || c.method() == null || !(c.injectSeconds() >= 0) || !(c.taskSeconds() >= 0)
                    || Double.isInfinite(c.injectSeconds() + c.taskSeconds())) {
                throw new InfuseException("bench report: bad cost " + c + ", expected a method and finite seconds >= 0");
            }
        }
    }

    static String csv(List<Measurement> results) {
        StringBuilder csv = new StringBuilder("method,task,metric,bucket,seed,value\n");
        for (Measurement m : results) {
            csv.append(field(m.method())).append(',').append(field(m.task())).append(',').append(field(m.metric()))
                    .append(',').append(field(m.bucket())).append(',').append(m.seed()).append(',')
                    .append(number(m.value())).append('\n');
        }
        return csv.toString();
    }

    /** Six decimals is finer than any seed-to-seed difference; trailing zeros only make the file harder to read. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
