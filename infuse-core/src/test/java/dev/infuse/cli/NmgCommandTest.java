package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.nmg.NmgTiny;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse nmg train} then {@code pretrain --masking nmg:DIR}, on a tiny model; bad input as one line each. */
class NmgCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path train;
    static Path dev;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = NmgTiny.bundle(tmp.resolve("bundle"));
        train = NmgTiny.typing(tmp.resolve("train.jsonl"), 40, 1);
        dev = NmgTiny.typing(tmp.resolve("dev.jsonl"), 30, 2);
    }

    static CliRun nmgTrain(Path out, String episodes, String... extra) {
        return nmgTrainSteps(out, episodes, "2", extra);
    }

    static CliRun nmgTrainSteps(Path out, String episodes, String steps, String... extra) {
        List<String> a = new ArrayList<>(List.of("nmg", "train", "--model", model.toString(), "--domain", bundle.toString(), "--task",
                train.toString(), dev.toString(), "--episodes", episodes, "--steps", steps, "--batch-size", "4", "--max-seq-length", "16",
                "--train-top-layers", "1", "--task-train", "40", "--task-dev", "30", "--updates", "2", "--replay-batch", "4",
                "--output-dir", out.toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    static String last(CliRun r) {
        return r.err().strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void trainsAPolicyThatPretrainingThenUses() throws Exception {
        Path policy = tmp.resolve("policy");
        CliRun r = nmgTrain(policy, "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: nmg: 2 episodes; each: random, opponent and player agents"), r.err());
        assertTrue(r.err().contains("infuse: nmg episode 2/2: player "), r.err());
        assertEquals(2, Files.readAllLines(policy.resolve("rewards.jsonl")).size());
        CliRun p = CliRun.of("pretrain", "--model", model.toString(), "--domain", bundle.toString(), "--masking", "nmg:" + policy,
                "--max-steps", "2", "--batch-size", "2", "--max-seq-length", "16", "--output-dir", tmp.resolve("pretrained").toString());
        assertEquals(0, p.code(), p.err());
        // The same run again is refused, and --resume with more episodes continues it.
        assertTrue(last(nmgTrain(policy, "2")).contains("already holds this run"));
        CliRun more = nmgTrain(policy, "3", "--resume");
        assertEquals(0, more.code(), more.err());
        assertEquals(3, Files.readAllLines(policy.resolve("rewards.jsonl")).size());
    }

    @Test
    void listsTheWordsAPolicyMasksAgainstTheirFrequency() {
        Path policy = tmp.resolve("words-policy");
        assertEquals(0, nmgTrain(policy, "1").code());
        String[] args = {"nmg", "words", "--model", model.toString(), "--domain", bundle.toString(), "--policy", policy.toString(), "--texts",
                "20", "--top", "5", "--max-seq-length", "16", "--json"};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        long picks = o.get("picks").getAsLong();
        assertTrue(picks >= 20 && picks <= o.get("words").getAsLong(), r.out()); // at least one word a text
        var top = o.getAsJsonArray("top");
        assertTrue(top.size() == 5, r.out());
        long previous = Long.MAX_VALUE;
        for (var e : top) {
            long p = e.getAsJsonObject().get("picks").getAsLong();
            assertTrue(p <= previous && p <= e.getAsJsonObject().get("occurrences").getAsLong(), r.out());
            assertTrue(TinyRun.words().contains(e.getAsJsonObject().get("word").getAsString()), r.out());
            previous = p;
        }
        assertEquals(r.out(), CliRun.of(args).out(), "top-k at use: the same words every time");
    }

    @Test
    void anEpisodeBudgetOfZeroIsOneLine() {
        CliRun r = nmgTrain(tmp.resolve("zero"), "0");
        assertTrue(r.code() != 0);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("infuse: --episodes"), r.err());
    }

    @Test
    void aCorpusTooSmallForAnEpisodeIsOneLine() {
        CliRun r = nmgTrainSteps(tmp.resolve("small"), "1", "32");
        assertEquals(1, r.code(), r.err());
        assertTrue(last(r).matches("infuse: the corpus of .* has \\d+ texts of at most 16 tokens; an episode needs 128 \\(--steps x --batch-size\\)"),
                r.err());
    }
}
