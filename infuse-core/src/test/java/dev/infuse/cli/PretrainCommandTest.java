package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse pretrain} end to end on a tiny model, and every user error as one clear line. */
class PretrainCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        corpus = TinyRun.corpus(tmp.resolve("corpus.txt"));
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "2",
                "--batch-size", "2", "--max-seq-length", "16", "--output-dir", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static void assertError(CliRun r, String expected) {
        assertEquals(1, r.code(), r.err());
        String last = r.err().strip().lines().reduce((x, y) -> y).orElse("");
        assertEquals("infuse: " + expected, last);
    }

    @Test
    void trainsAndWritesALoadableModel() {
        Path out = tmp.resolve("ok");
        CliRun r = run(args(out, "--masking", "wwm=1,span=1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.safetensors")) && Files.exists(out.resolve("checkpoint/trainer_state.json")));
        assertEquals(0, run("fill-mask", "--model", out.toString(), "the [MASK] sat on the mat").code());
    }

    @Test
    void trainsWithEntityMaskingOnADomainBundle() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("entities.jsonl"),
                "{\"id\":\"e1\",\"name\":\"red apples\",\"aliases\":[],\"type\":\"fruit\",\"description\":\"fruit\"}\n");
        Files.copy(corpus, bundle.resolve("corpus.txt"));
        Path out = tmp.resolve("domain-out");
        CliRun r = run("pretrain", "--model", model.toString(), "--domain", bundle.toString(), "--masking", "entity", "--max-steps", "2",
                "--batch-size", "2", "--max-seq-length", "16", "--output-dir", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"masking\": \"entity\""));
    }

    @Test
    void missingCorpus() {
        Path nope = tmp.resolve("nope.txt");
        CliRun r = run("pretrain", "--model", model.toString(), "--corpus", nope.toString(), "--max-steps", "1", "--output-dir",
                tmp.resolve("o1").toString());
        assertError(r, "corpus file not found: " + nope);
    }

    @Test
    void emptyCorpus() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        CliRun r = run("pretrain", "--model", model.toString(), "--corpus", empty.toString(), "--max-steps", "1", "--output-dir",
                tmp.resolve("o2").toString());
        assertError(r, "corpus " + empty + " has no text to train on");
    }

    @Test
    void unknownMasking() {
        assertError(run(args(tmp.resolve("o3"), "--masking", "bogus")),
                "unknown masking \"bogus\": expected one of token, wwm, entity, span, non-entity or a mix like wwm=0.5,entity=0.5");
    }

    @Test
    void sequenceLongerThanThePositions() {
        CliRun r = run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--max-seq-length", "65",
                "--output-dir", tmp.resolve("o4").toString());
        assertError(r, "--max-seq-length 65 is larger than the model's 64 positions");
    }

    @Test
    void outputDirHoldingADifferentRun() {
        Path out = tmp.resolve("o5");
        assertEquals(0, run(args(out)).code());
        CliRun r = run(args(out, "--lr", "1e-3"));
        assertError(r, "--output-dir " + out + " already holds a different run (lr: 5.0E-5 there, 0.001 here); pass --overwrite to replace it"
                + " or choose another directory");
        assertEquals(0, run(args(out, "--lr", "1e-3", "--overwrite")).code());
        assertError(run(args(out, "--lr", "1e-3")), "--output-dir " + out + " already holds this run (step 2); pass --resume to continue it"
                + " or --overwrite to start again");
    }

    @Test
    void foreignOutputDirAndNothingToResume() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("o6"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertError(run(args(out)), "--output-dir " + out + " is not empty (notes.txt); choose an empty directory or pass --overwrite");
        assertError(run(args(tmp.resolve("o7"), "--resume")), "nothing to resume: " + tmp.resolve("o7") + " holds no checkpoint");
    }
}
