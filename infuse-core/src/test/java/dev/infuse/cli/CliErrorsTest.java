package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake ends in one line naming the problem and a non-zero exit; --verbose adds the trace. */
class CliErrorsTest {
    @TempDir
    static Path tmp;
    static Path model;


    @BeforeAll
    static void tinyModel() throws IOException {
        model = tmp.resolve("tiny");
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "."));
        while (vocab.size() < 40) {
            vocab.add("w" + vocab.size());
        }
        Files.createDirectories(model);
        Files.write(model.resolve("vocab.txt"), vocab);
        try (BertModel m = BertModel.random(BertConfig.tiny(40), 1)) {
            Checkpoints.writeHuggingFace(m, model);
        }
        WordPieceTokenizer.load(model.resolve("vocab.txt")).save(model);
        Provenance.of("model").write(model.resolve("provenance.json"));
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static void oneLineError(CliRun r, String expected) {
        assertTrue(r.code() != 0, "exit code");
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("infuse: ") && lines.get(0).contains(expected), lines.get(0));
    }

    @Test
    void aTopKAboveTheVocabularyIsSaidNotSilentlyCapped() {
        CliRun r = run("fill-mask", "--model", model.toString(), "--json", "--top-k", "100", "the cat [MASK] .");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: warning: --top-k 100 is more than the vocabulary's 40 tokens; all 40 are listed"), r.err());
        assertEquals(40, r.out().split("\"token\"", -1).length - 1, "every token listed once");
    }

    @Test
    void aBadOutputIsRefusedBeforeTheModelIsEvenLooked() throws IOException {
        // The model does not exist: an error about --output proves the output was checked first.
        Path dir = Files.createDirectories(tmp.resolve("out.pelt"));
        CliRun r = run("pelt", "build", "--model", tmp.resolve("no-model").toString(), "--domain", tmp.toString(), "--output", dir.toString());
        oneLineError(r, "--output " + dir + " is a directory; it takes a file name");
        r = run("zeo", "vectors", "--model", tmp.resolve("no-model").toString(), "--domain", tmp.toString(), "--output",
                tmp.resolve("missing/v.zeo").toString());
        oneLineError(r, "the folder " + tmp.resolve("missing") + " does not exist");
    }

    @Test
    void aTaskFileThatIsADirectoryIsNamedAsSuch() {
        CliRun r = run("finetune", "--model", model.toString(), "--task", "ner", "--train", tmp.toString(), "--dev", tmp.toString(),
                "--output-dir", tmp.resolve("ft-dir").toString());
        oneLineError(r, tmp + " is a directory; a task file is expected");
    }

    @Test
    void moreThreadsThanCoresIsAWarning() {
        assertEquals(null, EngineOptions.threadsWarning(2, 2));
        assertEquals("infuse: warning: --threads 64 is more than this machine's 2 cores; the extra threads only take turns with the others",
                EngineOptions.threadsWarning(64, 2));
    }

    @Test
    void aBadPrecisionIsOneLine() {
        oneLineError(run("fill-mask", "--model", model.toString(), "--precision", "bf17", "the cat [MASK] ."),
                "--precision must be auto, fp32 or bf16, got 'bf17'");
    }

    @Test
    void theChosenPrecisionIsSaidOnceAndKeptInProvenance() {
        CliRun r = run("fill-mask", "--model", model.toString(), "--json", "--precision", "bf16", "the cat [MASK] .");
        assertEquals(0, r.code(), r.err());
        List<String> said = r.err().lines().filter(l -> l.startsWith("infuse: precision")).toList();
        assertEquals(1, said.size(), r.err());
        assertTrue(said.get(0).startsWith("infuse: precision bf16 (--precision bf16; "), said.get(0));
        assertTrue(r.out().startsWith("{\"results\":[{\"text\":\"the cat [MASK] .\""), r.out());
        // The command's choice ends with it: library code afterwards runs fp32 again, and provenance says so.
        assertEquals(dev.infuse.engine.Precision.FP32, dev.infuse.engine.Engines.precision());
        assertEquals("fp32", Provenance.of("model").toMap().get("precision"));
        dev.infuse.engine.Engines.usePrecision(dev.infuse.engine.Precision.BF16);
        try {
            dev.infuse.engine.Engines.precision();
            assertEquals("bf16", Provenance.of("model").toMap().get("precision"));
        } finally {
            dev.infuse.engine.Engines.resetPrecision();
        }
    }

    @Test
    void fillMaskWorksOnATinyModel() {
        CliRun r = run("fill-mask", "--model", model.toString(), "--json", "--top-k", "3", "the cat [MASK] .");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"results\":[{\"text\":\"the cat [MASK] .\",\"ids\":[2,5,6,4,8,3]"), r.out());
    }

    @Test
    void everySubcommandAnswersHelp() {
        for (String[] cmd : new String[][] {{"bench", "--help"}, {"probe", "-h"}, {"zeo", "run", "--help"}, {"bench", "engine", "--help"}}) {
            CliRun r = run(cmd);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Usage: infuse " + cmd[0]), r.out());
        }
    }

    @Test
    void unknownFlag() {
        oneLineError(run("fill-mask", "--bogus", "x"), "Unknown option: '--bogus'");
    }

    @Test
    void emptyText() {
        oneLineError(run("fill-mask", "--model", model.toString(), ""), "empty text");
    }

    @Test
    void textWithoutMask() {
        oneLineError(run("fill-mask", "--model", model.toString(), "the cat sat"), "no [MASK] in text: \"the cat sat\"");
    }

    @Test
    void missingModelAndMissingConfig() throws IOException {
        oneLineError(run("fill-mask", "--model", tmp.resolve("nope").toString(), "a [MASK]"), "neither a directory nor a built-in name");
        Path noConfig = tmp.resolve("noconfig");
        Files.createDirectories(noConfig);
        Files.copy(model.resolve("vocab.txt"), noConfig.resolve("vocab.txt"));
        Files.copy(model.resolve("model.safetensors"), noConfig.resolve("model.safetensors"));
        oneLineError(run("fill-mask", "--model", noConfig.toString(), "a [MASK]"), "missing config.json");
    }

    @Test
    void vocabularyWithoutMask() throws IOException {
        Path noMask = tmp.resolve("nomask");
        Files.createDirectories(noMask);
        Files.copy(model.resolve("config.json"), noMask.resolve("config.json"));
        Files.copy(model.resolve("model.safetensors"), noMask.resolve("model.safetensors"));
        Files.write(noMask.resolve("vocab.txt"), Files.readAllLines(model.resolve("vocab.txt")).stream()
                .map(t -> t.equals("[MASK]") ? "[MASK2]" : t).toList());
        oneLineError(run("fill-mask", "--model", noMask.toString(), "a [MASK]"), "vocab.txt has no [MASK] token");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = run("fill-mask", "--verbose", "--model", model.toString(), "the cat sat");
        assertTrue(r.code() != 0);
        assertTrue(r.err().lines().count() > 1, r.err());
        assertFalse(run("fill-mask", "--model", model.toString(), "the cat sat").err().contains("\tat "));
    }

    @Test
    void badThreads() {
        oneLineError(run("bench", "engine", "--threads", "0"), "--threads must be at least 1");
    }

    @Test
    void huggingFaceSpellingsAreUnknownFirstWithASuggestion() {
        // finetune has required flags that are missing too; the unknown one is the mistake worth naming
        CliRun r = run("finetune", "--output_dir", "x");
        oneLineError(r, "Unknown options: '--output_dir', 'x'; did you mean --output-dir?");
        oneLineError(run("finetune", "--model_name_or_path", "m"), "did you mean --model?");
    }

    @Test
    void noHelpTextMakesPicocliWarn() {
        List<List<String>> commands = new ArrayList<>();
        collect(new picocli.CommandLine(new Main()), new ArrayList<>(), commands);
        assertTrue(commands.size() > 15, commands.toString());
        for (List<String> cmd : commands) {
            List<String> args = new ArrayList<>(cmd);
            args.add("--help");
            CliRun r = run(args.toArray(String[]::new));
            assertEquals(0, r.code(), cmd + ": " + r.err());
            assertFalse(r.err().contains("WARN"), cmd + ": " + r.err());
        }
        assertTrue(run("pretrain", "--help").out().contains("(default: 10% of --max-steps)"));
    }

    private static void collect(picocli.CommandLine c, List<String> path, List<List<String>> out) {
        out.add(path);
        c.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    @Test
    void pretrainObjectivesComeFromTheRegistryAndRefuseEachOthersFlags() throws IOException {
        Path corpus = tmp.resolve("objective-corpus.txt");
        Files.writeString(corpus, "the cat sat .\n");
        String out = tmp.resolve("objective-run").toString();
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--method", "bogus"), "unknown objective \"bogus\" in --method bogus: expected mlm, zeo, sensebert, wklm, libert, dea, kepler, or several joined by +");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--objective", "mlm+sensebert:-0.5"), "--method mlm+sensebert:-0.5: the weight of sensebert must be positive and finite, found -0.5");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--objective", "mlm+mlm"), "--method mlm+mlm names mlm twice");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--wordnet", corpus.toString()), "--wordnet belongs to --method sensebert");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--vectors", corpus.toString()), "--vectors belongs to --method zeo");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--method", "MLM", "--inject", "1"), "--inject belongs to --method zeo");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--method", "zeo", "--inject", "2", "--vectors", corpus.toString()), "--method zeo --inject 2 needs --domain");
        oneLineError(run("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--max-steps", "1", "--output-dir", out,
                "--method", "mlm+wklm"), "--method wklm needs --domain");
        assertFalse(Files.exists(Path.of(out)), "nothing written");
    }
}
