package dev.infuse.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.cli.CliRun;
import dev.infuse.cli.Main;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs in local[2] against the single-machine commands on the same inputs: a tiny random model, a
 * generated bundle large enough for several chunks, partitions and a sample, and tiny fine-tuned task models.
 */
class SparkJobsTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "localhost");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("model"));
        bundle = bundle(tmp.resolve("bundle"), 2600);
    }

    @AfterAll
    static void clear() {
        System.clearProperty(Jobs.FAULTS);
    }

    /**
     * Entities named by words of the tiny vocabulary ("birds" splits into two pieces); passages of filler words
     * with entities placed at random, some with explicit mentions (which the build takes instead of matching).
     */
    static Path bundle(Path dir, int passages) throws IOException {
        Files.createDirectories(dir);
        List<String> names = List.of("cat", "dog", "birds", "sun", "sea", "rivers", "trees", "park");
        List<String> entities = new ArrayList<>();
        for (String n : names) {
            entities.add("{\"id\":\"" + n + "\",\"name\":\"" + n + "\",\"aliases\":[],\"type\":\"" + (n.length() % 2 == 0 ? "even" : "odd")
                    + "\",\"description\":\"the " + n + "\"}");
        }
        entities.add("{\"id\":\"ghost\",\"name\":\"zzz\",\"aliases\":[],\"type\":\"odd\",\"description\":\"never said\"}");
        Files.write(dir.resolve("entities.jsonl"), entities);
        List<String> filler = List.of("the", "a", "on", "in", "sat", "ran", "red", "tall", "cold", "east");
        Random r = new Random(5);
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < passages; i++) {
            StringBuilder text = new StringBuilder();
            String mentioned = null;
            int start = -1;
            int words = 3 + r.nextInt(9);
            for (int w = 0; w < words; w++) {
                String word = r.nextInt(4) == 0 ? names.get(r.nextInt(r.nextBoolean() ? 2 : names.size())) : filler.get(r.nextInt(filler.size()));
                if (text.length() > 0) {
                    text.append(' ');
                }
                if (mentioned == null && names.contains(word)) {
                    mentioned = word;
                    start = text.length();
                }
                text.append(word);
            }
            String mentions = i % 7 == 0 && mentioned != null
                    ? "{\"start\":" + start + ",\"end\":" + (start + mentioned.length()) + ",\"entity\":\"" + mentioned + "\"}" : "";
            corpus.add("{\"id\":\"p" + i + "\",\"text\":\"" + text + "\",\"mentions\":[" + mentions + "]}");
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.write(dir.resolve("triples.tsv"), List.of("cat\tlikes\tsun", "dog\tlikes\tpark", "birds\tlive_in\ttrees"));
        return dir;
    }

    static CliRun infuse(String... args) {
        return CliRun.capture(() -> Main.run(args));
    }

    static CliRun spark(String... args) {
        return CliRun.capture(() -> SparkMain.run(args));
    }

    static List<String> peltArgs(Path out) {
        return List.of("--model", model.toString(), "--domain", bundle.toString(), "--output", out.toString(), "--max-occurrences", "700",
                "--batch-size", "16");
    }

    static CliRun peltSpark(Path out, String master, String... more) {
        List<String> args = new ArrayList<>(List.of("pelt", "build", "--master", master, "--partitions", "3"));
        args.addAll(peltArgs(out));
        args.addAll(List.of(more));
        return spark(args.toArray(String[]::new));
    }

    static byte[] singleMachineTable() throws IOException {
        Path single = tmp.resolve("single.pelt");
        if (!Files.exists(single)) {
            List<String> args = new ArrayList<>(List.of("pelt", "build", "--threads", "1"));
            args.addAll(peltArgs(single));
            CliRun r = infuse(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
        }
        return Files.readAllBytes(single);
    }

    @Test
    void peltTableIsTheSingleMachinesByteForByte() throws IOException {
        Path out = tmp.resolve("spark.pelt");
        CliRun r = peltSpark(out, "local[2]");
        assertEquals(0, r.code(), r.err());
        // The bundle is sized so that the job really cuts: more than one chunk of 2048, a sample of the frequent entities.
        assertTrue(r.err().matches("(?s).*kept mentions in [2-9] chunks of 2048, over 3 corpus partitions.*"), r.err());
        assertTrue(r.err().contains("1 of 9 selected entities are never mentioned"), r.err());
        assertArrayEquals(singleMachineTable(), Files.readAllBytes(out));
        EntityTable table = EntityTable.read(out);
        assertEquals(700f, table.count("cat"), "cat is mentioned more than 700 times, so the sample decides which 700 count");
        assertTrue(table.count("sun") < 700f, "sun is kept whole");
        assertTrue(Files.exists(tmp.resolve("spark.pelt.provenance.json")));
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".infuse-spark-")), "no scratch file is left");
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedToTheSameTable() throws IOException {
        Path out = tmp.resolve("retried.pelt");
        System.setProperty(Jobs.FAULTS, "vectors:0,vectors:1");
        try {
            CliRun r = peltSpark(out, "local[2,2]");
            assertEquals(0, r.code(), r.err());
        } finally {
            System.clearProperty(Jobs.FAULTS);
        }
        assertArrayEquals(singleMachineTable(), Files.readAllBytes(out));
    }

    @Test
    void withoutRetriesTheInjectedFaultFailsTheJobInOneLine() {
        Path out = tmp.resolve("failed.pelt");
        System.setProperty(Jobs.FAULTS, "vectors:0");
        try {
            CliRun r = peltSpark(out, "local[2]");
            assertEquals(1, r.code());
            assertEquals(1, errors(r).size(), r.err());
            assertTrue(r.err().contains("infuse: the Spark job failed"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        } finally {
            System.clearProperty(Jobs.FAULTS);
        }
        assertFalse(Files.exists(out), "nothing is written when the job fails");
    }

    @Test
    void zeoVectorsAreTheSingleMachinesByteForByte() throws IOException {
        // 2,100 entities with descriptions (and one without): three chunks of 1,024 for the builder and the job.
        Path dir = Files.createDirectories(tmp.resolve("many"));
        List<String> words = TinyRun.words();
        Random r = new Random(8);
        List<String> entities = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            StringBuilder d = new StringBuilder();
            for (int w = 0, n = 1 + r.nextInt(14); w < n; w++) {
                d.append(w > 0 ? " " : "").append(words.get(r.nextInt(words.size())));
            }
            entities.add("{\"id\":\"e" + i + "\",\"name\":\"e" + i + "\",\"aliases\":[],\"type\":\"t\",\"description\":\"" + d + "\"}");
        }
        entities.add("{\"id\":\"blank\",\"name\":\"blank\",\"aliases\":[],\"type\":\"t\",\"description\":\"\"}");
        Files.write(dir.resolve("entities.jsonl"), entities);
        Path single = tmp.resolve("single.zeo");
        CliRun one = infuse("zeo", "vectors", "--threads", "1", "--model", model.toString(), "--domain", dir.toString(), "--output", single.toString(),
                "--batch-size", "16");
        assertEquals(0, one.code(), one.err());
        Path spark = tmp.resolve("spark.zeo");
        CliRun many = spark("zeo", "vectors", "--master", "local[2]", "--model", model.toString(), "--domain", dir.toString(), "--output",
                spark.toString(), "--batch-size", "16");
        assertEquals(0, many.code(), many.err());
        assertTrue(many.err().contains("skipped 1 of 2101 entities without a description"), many.err());
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(spark));
    }

    @Test
    void domainStatsPrintsWhatTheSingleMachinePrints() {
        CliRun single = infuse("domain", "stats", bundle.toString());
        CliRun spark = spark("domain", "stats", "--master", "local[2]", "--partitions", "3", bundle.toString());
        assertEquals(0, spark.code(), spark.err());
        assertTrue(single.out().contains("mentions: "), single.out());
        assertEquals(single.out(), spark.out());
    }

    @Test
    void predictWritesTheSingleProcessOutputLineForLine() throws IOException {
        Path train = TinyTasks.classify(tmp.resolve("classify.jsonl"), 40, 1);
        Path run = tmp.resolve("classify-run");
        CliRun ft = infuse("finetune", "--model", model.toString(), "--task", "classify", "--train", train.toString(), "--dev", train.toString(),
                "--max-steps", "4", "--batch-size", "8", "--max-seq-length", "32", "--output-dir", run.toString(), "--threads", "1");
        assertEquals(0, ft.code(), ft.err());
        Path input = TinyTasks.classify(tmp.resolve("input.jsonl"), 150, 2);
        samePredictions(run, input, "--logits");
        Path text = tmp.resolve("input.txt");
        Files.write(text, Files.readAllLines(input).stream().map(l -> l.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1")).toList());
        samePredictions(run, text);
    }

    /** A tiny NER model fine-tuned once for the tests that need one. */
    static synchronized Path nerRun() throws IOException {
        Path run = tmp.resolve("ner-run");
        if (!Files.exists(run.resolve("config.json"))) {
            Path train = TinyTasks.ner(tmp.resolve("ner.conll"), 40, 3);
            CliRun ft = infuse("finetune", "--model", model.toString(), "--task", "ner", "--train", train.toString(), "--dev", train.toString(),
                    "--max-steps", "4", "--batch-size", "8", "--max-seq-length", "32", "--output-dir", run.toString(), "--threads", "1");
            assertEquals(0, ft.code(), ft.err());
        }
        return run;
    }

    @Test
    void nerPredictionsFromPlainTextKeepTheirSentences() throws IOException {
        Path run = nerRun();
        List<String> sentences = new ArrayList<>();
        Random r = new Random(4);
        List<String> words = TinyRun.words();
        for (int i = 0; i < 120; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0, n = 1 + r.nextInt(12); w < n; w++) {
                s.append(w > 0 ? " " : "").append(words.get(r.nextInt(words.size())));
            }
            sentences.add(s.toString());
        }
        Path text = Files.write(tmp.resolve("sentences.txt"), sentences);
        samePredictions(run, text);
        samePredictions(run, text, "--jsonl", "--logits");
    }

    static void samePredictions(Path run, Path input, String... more) throws IOException {
        String name = input.getFileName() + String.join("", more);
        Path single = tmp.resolve(name + ".single");
        Path spark = tmp.resolve(name + ".spark");
        List<String> common = new ArrayList<>(List.of("--model", run.toString(), "--input", input.toString(), "--batch-size", "8"));
        common.addAll(List.of(more));
        List<String> a = new ArrayList<>(List.of("predict", "--threads", "1", "--output", single.toString()));
        a.addAll(common);
        CliRun one = infuse(a.toArray(String[]::new));
        assertEquals(0, one.code(), one.err());
        List<String> b = new ArrayList<>(List.of("predict", "--master", "local[2]", "--partitions", "3", "--output", spark.toString()));
        b.addAll(common);
        CliRun many = spark(b.toArray(String[]::new));
        assertEquals(0, many.code(), many.err());
        assertEquals(Files.readAllLines(single), Files.readAllLines(spark), name);
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(spark), name);
    }

    @Test
    void badInputEndsInOneLine() throws IOException {
        Path out = tmp.resolve("bad.pelt");
        CliRun missing = spark("pelt", "build", "--master", "local[1]", "--model", tmp.resolve("nowhere").toString(), "--domain", bundle.toString(),
                "--output", out.toString());
        oneLine(missing, "--model " + tmp.resolve("nowhere") + ": not found");

        // A model directory the driver sees but no executor can load: the executors' error, in one line.
        Path empty = Files.createDirectories(tmp.resolve("not-a-model"));
        CliRun unloadable = spark("pelt", "build", "--master", "local[1]", "--model", empty.toString(), "--domain", bundle.toString(),
                "--output", out.toString());
        oneLine(unloadable, "executor ");
        assertFalse(Files.exists(out));

        Path exists = Files.writeString(tmp.resolve("exists.pelt"), "keep me");
        CliRun refused = spark("pelt", "build", "--master", "local[1]", "--model", model.toString(), "--domain", bundle.toString(),
                "--output", exists.toString());
        oneLine(refused, "--output " + exists + " exists; pass --overwrite to replace it");
        assertEquals("keep me", Files.readString(exists));

        oneLine(spark("pelt", "build", "--bogus"), "Unknown option: '--bogus'");

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(bundle.resolve("entities.jsonl"), broken.resolve("entities.jsonl"));
        Files.write(broken.resolve("corpus.jsonl"), List.of("{\"id\":\"p1\",\"text\":\"the cat\",\"mentions\":[]}", "{not json"));
        oneLine(spark("domain", "stats", "--master", "local[1]", broken.toString()), broken.resolve("corpus.jsonl") + ", input split 0, line 2 of the split");

        // predict reads one example a line; an NER task file spreads a sentence over lines.
        Path ner = TinyTasks.ner(tmp.resolve("ner-input.conll"), 5, 9);
        oneLine(spark("predict", "--master", "local[1]", "--model", nerRun().toString(), "--input", ner.toString(), "--output",
                tmp.resolve("ner.out").toString()), "an NER task file is CoNLL");
        oneLine(spark("zeo", "vectors", "--master", "local[1]", "--model", model.toString(), "--domain", bundle.toString(), "--output",
                exists.toString()), "exists; pass --overwrite to replace it");
    }

    /** The lines that report a problem (not the precision's announcement, a warning or a progress line). */
    static List<String> errors(CliRun r) {
        return r.err().lines().filter(l -> l.startsWith("infuse:") && !l.startsWith("infuse: precision") && !l.startsWith("infuse: warning")
                && !l.startsWith("infuse: pelt build (spark)")).toList();
    }

    static void oneLine(CliRun r, String expected) {
        assertTrue(r.code() != 0, "exit code");
        List<String> lines = errors(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(expected), lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
