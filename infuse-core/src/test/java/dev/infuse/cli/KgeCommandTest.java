package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infuse kge train and eval from the command line: end to end, a real kill and --resume, and bad input in one line each. */
class KgeCommandTest {
    @TempDir
    static Path tmp;
    static Path train;
    static Path test;

    /**
     * A chain of 30 entities: r0 to the next, r1 to the one after (so r1 = 2 r0 for TransE); every tenth triple is held
     * out as the test set. Train is gzipped, as WN18RR's files are.
     */
    @BeforeAll
    static void graph() throws IOException {
        dev.infuse.train.TinyRun.oneThread();
        List<String> trainLines = new ArrayList<>();
        List<String> testLines = new ArrayList<>();
        int n = 0;
        for (int e = 0; e < 30; e++) {
            for (int step = 1; step <= 2 && e + step < 30; step++) {
                String line = "e" + e + "\tr" + (step - 1) + "\te" + (e + step);
                (n++ % 10 == 5 ? testLines : trainLines).add(line);
            }
        }
        test = tmp.resolve("test.tsv");
        Files.write(test, testLines);
        train = tmp.resolve("train.tsv.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(train))) {
            gz.write((String.join("\n", trainLines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static List<String> trainArgs(Path out, String steps) {
        return new ArrayList<>(List.of("kge", "train", "--train", train.toString(), "--valid", test.toString(), "--model", "transe", "--dimension", "8",
                "--batch-size", "8", "--negatives", "4", "--gamma", "2", "--lr", "0.05", "--steps", steps, "--valid-every", "0",
                // the engine this JVM already runs (another test class may have started it), so the child JVM computes alike
                "--threads", String.valueOf(dev.infuse.engine.Engines.threads()), "--output", out.toString()));
    }

    @Test
    void trainThenEvalPrintsOneJsonObject() {
        Path out = tmp.resolve("e2e");
        CliRun t = CliRun.of(trainArgs(out, "400").toArray(String[]::new));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("triples/s"), "progress in triples per second: " + t.err());
        assertTrue(t.err().contains("infuse: step 400 valid MRR"), t.err());
        for (String f : List.of("embeddings.safetensors", "config.json", "provenance.json", "metrics.jsonl", "valid_scores.jsonl")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        CliRun e = CliRun.of("kge", "eval", "--embeddings", out.toString(), "--test", test.toString(), "--known", train.toString(), test.toString(),
                "--json");
        assertEquals(0, e.code(), e.err());
        JsonObject o = JsonParser.parseString(e.out()).getAsJsonObject();
        assertEquals(Set.of("mrr", "mr", "hits@1", "hits@3", "hits@10"), o.keySet(), e.out());
        // 12 rankings among 30 entities: chance is about 0.13.
        assertTrue(o.get("mrr").getAsDouble() > 0.3, "the chain is learnt: " + e.out());
    }

    @Test
    void aKilledTrainingResumesToTheSameBytes() throws Exception {
        Path straight = tmp.resolve("k-straight");
        assertEquals(0, CliRun.of(withSave(trainArgs(straight, "3000"))).code());
        Path killed = tmp.resolve("k-killed");
        Process p = new ProcessBuilder(ChildJvm.command(tmp.resolve("crash"), Main.class.getName(), List.of(withSave(trainArgs(killed, "3000")))))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("k-log.txt").toFile()).start();
        Path state = killed.resolve("checkpoint/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && !Files.exists(state) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        p.destroyForcibly(); // SIGKILL: no handler runs, no checkpoint is written on the way out
        p.waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(killed.resolve("embeddings.safetensors")), "killed before the end: " + Files.readString(tmp.resolve("k-log.txt")));
        CliRun r = CliRun.of(append(withSave(trainArgs(killed, "3000")), "--resume"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: resuming at step"), r.err());
        assertArrayEquals(Files.readAllBytes(straight.resolve("embeddings.safetensors")), Files.readAllBytes(killed.resolve("embeddings.safetensors")));
        String resumed = Files.readString(killed.resolve("valid_scores.jsonl"));
        assertEquals(Files.readString(straight.resolve("valid_scores.jsonl")).replaceAll("\"eval_seconds\":[^}]*", ""),
                resumed.replaceAll("\"eval_seconds\":[^}]*", ""), "the same scores, only the times differ");
        double trainSeconds = JsonParser.parseString(resumed.strip()).getAsJsonObject().get("train_seconds").getAsDouble();
        double steps = Files.readAllLines(killed.resolve("metrics.jsonl")).stream()
                .mapToDouble(l -> JsonParser.parseString(l).getAsJsonObject().get("seconds").getAsDouble()).sum();
        assertEquals(steps, trainSeconds, 1e-6, "training time counts the killed run's steps too");
    }

    static String[] withSave(List<String> args) {
        return append(args, "--save-every", "200");
    }

    static String[] append(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static String[] append(String[] args, String... more) {
        return append(List.of(args), more);
    }

    static void oneLineError(CliRun r, String expected) {
        assertTrue(r.code() != 0, "exit code");
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("infuse: ") && lines.get(0).contains(expected), lines.get(0));
    }

    @Test
    void aLineWithTwoFieldsIsOneErrorNamingFileAndLine() throws IOException {
        Path bad = tmp.resolve("bad.tsv");
        Files.write(bad, List.of("a\tr\tb", "c\td"));
        oneLineError(CliRun.of("kge", "train", "--train", bad.toString(), "--model", "transe", "--output", tmp.resolve("bad-out").toString()),
                bad + ":2: expected head<TAB>relation<TAB>tail, found 2 fields");
        assertFalse(Files.exists(tmp.resolve("bad-out")), "nothing is written for bad input");
    }

    @Test
    void aRelationUnknownAtEvalIsOneErrorLine() throws IOException {
        Path out = tmp.resolve("unknown-rel");
        assertEquals(0, CliRun.of(trainArgs(out, "2").toArray(String[]::new)).code());
        Path odd = tmp.resolve("odd.tsv");
        Files.write(odd, List.of("e0\tr0\te1", "e1\tr9\te2"));
        oneLineError(CliRun.of("kge", "eval", "--embeddings", out.toString(), "--test", odd.toString(), "--known", train.toString()),
                odd + ":2: unknown relation \"r9\": the embeddings in " + out + " have no row for it");
        Files.write(odd, List.of("e0\tr0\tnowhere"));
        oneLineError(CliRun.of("kge", "eval", "--embeddings", out.toString(), "--test", odd.toString(), "--known", train.toString()),
                odd + ":1: unknown entity \"nowhere\"");
    }

    @Test
    void otherMistakesAreOneLineToo() {
        oneLineError(CliRun.of("kge", "train", "--train", train.toString(), "--model", "complex", "--output", tmp.resolve("x").toString()),
                "unknown --model \"complex\": expected transe, distmult or rotate");
        oneLineError(CliRun.of("kge", "train", "--train", train.toString(), "--model", "rotate", "--norm", "2", "--output", tmp.resolve("x").toString()),
                "--norm is TransE's");
        oneLineError(CliRun.of("kge", "eval", "--embeddings", tmp.resolve("none").toString(), "--test", test.toString(), "--known", test.toString()),
                "no such directory");
    }
}
