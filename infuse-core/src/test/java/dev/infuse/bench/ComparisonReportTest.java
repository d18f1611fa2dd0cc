package dev.infuse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {
    private static final Map<String, String> PRIMARY = Map.of("probe", "p@1", "typing", "accuracy");
    private static final List<String> BUCKETS = List.of("rare", "all", "frequent"); // deliberately not report order

    @TempDir
    Path dir;

    /**
     * baseline and pelt on probe (p@1 and p@10) and typing (accuracy), 3 seeds. pelt never ran typing's rare bucket.
     * probe p@1 "all" is 0.1/0.2/0.3 for baseline and 0.4/0.5/0.6 for pelt; other cells are offset from those.
     */
    private static List<Measurement> results() {
        List<Measurement> out = new ArrayList<>();
        for (String method : List.of("baseline", "pelt")) {
            double base = method.equals("baseline") ? 0.0 : 0.3;
            for (long seed = 1; seed <= 3; seed++) {
                for (String bucket : BUCKETS) {
                    double shift = bucket.equals("all") ? 0 : bucket.equals("rare") ? -0.05 : 0.05;
                    out.add(new Measurement(method, "probe", "p@1", bucket, seed, base + 0.1 * seed + shift));
                    out.add(new Measurement(method, "probe", "p@10", bucket, seed, base + 0.1 * seed + shift + 0.2));
                    if (!(method.equals("pelt") && bucket.equals("rare"))) {
                        out.add(new Measurement(method, "typing", "accuracy", bucket, seed, 0.5 + base / 3 + 0.01 * seed));
                    }
                }
            }
        }
        return out;
    }

    private static List<MethodCost> costs() {
        return List.of(new MethodCost("baseline", 0, 37), new MethodCost("pelt", 245, 3725));
    }

    private void write(List<Measurement> results) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("steps", "2000");
        settings.put("seeds", "1,2,3");
        ComparisonReport.write(dir, "infuse bench: data/foldoc/bundle", "infuse bench --seeds 3 data/foldoc/bundle",
                settings, PRIMARY, results, costs());
    }

    @Test
    void csvHasOneRowPerMeasurementInOrder() throws IOException {
        List<Measurement> results = results();
        write(results);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("method,task,metric,bucket,seed,value", lines.get(0));
        assertEquals(1 + 51, lines.size()); // baseline 18 + 9, pelt 18 + 6
        assertEquals(results.size(), lines.size() - 1);
        assertEquals("baseline,probe,p@1,rare,1,0.05", lines.get(1));
        assertTrue(lines.contains("pelt,probe,p@10,all,3,0.8"), "values are trimmed, not 0.800000");
    }

    @Test
    void csvQuotesCommasAndQuotes() {
        String csv = ComparisonReport.csv(List.of(new Measurement("k,\"bert\"", "probe", "p@1", "all", 7, 1.0 / 3)));
        assertEquals("\"k,\"\"bert\"\"\",probe,p@1,all,7,0.333333", csv.lines().toList().get(1));
    }

    @Test
    void markdownShowsMeanSdBestMissingAndWallClock() throws IOException {
        write(results());
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# infuse bench: data/foldoc/bundle\n"), md);
        assertTrue(md.contains("```\ninfuse bench --seeds 3 data/foldoc/bundle\n```"), md);
        assertTrue(md.contains("- steps: 2000\n- seeds: 1,2,3\n"), md);
        // Summary columns: the overall bucket first, then frequent before rare, whatever order the data came in.
        assertTrue(md.contains("| method | probe p@1 (all) | probe p@1 (frequent) | probe p@1 (rare) | typing accuracy (all)"), md);
        String baseline = line(md, "| baseline | ");
        String pelt = line(md, "| pelt | ");
        // 0.1, 0.2, 0.3: mean 0.2, sample sd sqrt((0.01 + 0 + 0.01) / 2) = 0.1
        assertTrue(baseline.startsWith("| baseline | 0.200 ± 0.100 | "), baseline);
        assertTrue(pelt.startsWith("| pelt | **0.500 ± 0.100** | "), pelt);
        // typing: baseline 0.51/0.52/0.53 -> 0.520 ± 0.010; pelt 0.61/0.62/0.63 wins; pelt has no rare bucket.
        assertTrue(pelt.contains("| **0.620 ± 0.010** | **0.620 ± 0.010** | – |"), pelt);
        // A cell alone in its column has nothing to beat, so it is not bold.
        assertTrue(baseline.endsWith("| 0.520 ± 0.010 | 0s | 37s |"), baseline);
        assertTrue(pelt.endsWith("| 4m 05s | 1h 02m 05s |"), pelt);
        // Detail section lists the non-primary metric too.
        assertTrue(md.contains("## probe\n"), md);
        assertTrue(md.contains("p@10 (all)"), md);
        assertTrue(md.contains("**0.700 ± 0.100**"), md);
        assertTrue(md.contains("Seeds: 3 (1, 2, 3)"), md);
    }

    @Test
    void oneSeedShowsOnlyTheMean() throws IOException {
        List<Measurement> one = results().stream().filter(m -> m.seed() == 2).toList();
        write(one);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(line(md, "| baseline | ").startsWith("| baseline | 0.200 | "), md);
        assertFalse(md.contains("±"), md);
    }

    @Test
    void chartIsAReadablePngWithBarsDrawn() throws IOException {
        write(results());
        BufferedImage img = ImageIO.read(dir.resolve("chart.png").toFile());
        assertNotNull(img, "ImageIO could not read chart.png");
        assertTrue(img.getWidth() > 800, "width " + img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertTrue(colours.size() > 10, "only " + colours.size() + " colours");
        assertTrue(colours.contains(0x4E79A7) && colours.contains(0xF28E2B), "both methods' bar colours are present");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("chart.png", "report.md", "results.csv"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temp files are left behind");
        }
    }

    @Test
    void emptyResultsAreRejected() {
        InfuseException e = assertThrows(InfuseException.class, () -> write(List.of()));
        assertTrue(e.getMessage().contains("no measurements"), e.getMessage());
    }

    @Test
    void nanIsRejectedBeforeAnyFileIsWritten() {
        List<Measurement> bad = new ArrayList<>(results());
        bad.add(new Measurement("pelt", "probe", "p@1", "all", 4, Double.NaN));
        InfuseException e = assertThrows(InfuseException.class, () -> write(bad));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("seed 4"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("results.csv")));
    }

    private static String line(String md, String prefix) {
        return md.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " in\n" + md));
    }
}
