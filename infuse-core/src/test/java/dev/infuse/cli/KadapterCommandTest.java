package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.kadapter.KadapterTrainingTest;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse kadapter train}: a run that eval can score again, and its mistakes as one line each. */
class KadapterCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = KadapterTrainingTest.bundle(tmp.resolve("bundle"), true);
    }

    static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("kadapter", "train", "--model", model.toString(), "--domain", bundle.toString(), "--output",
                out.toString(), "--steps", "3", "--batch-size", "4", "--max-seq-length", "16", "--min-examples", "1", "--adapter-size", "16",
                "--adapter-heads", "2", "--adapter-intermediate", "32", "--adapter-transformer-layers", "1"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainsAnAdapterThatEvalScoresAgain() {
        Path out = tmp.resolve("ok");
        CliRun r = CliRun.of(args(out));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: 24 examples from 24 sentences: 4 labels kept, 0 with fewer than 1 examples dropped (0 examples)"),
                r.err());
        assertTrue(Files.exists(out.resolve("kadapter_model.safetensors")) && Files.exists(out.resolve("kadapter_config.json")));
        assertTrue(!Files.exists(out.resolve("checkpoint")), "a finished run keeps no checkpoint");
        CliRun eval = CliRun.of("eval", "--model", out.toString(), "--test", out.resolve("dev.jsonl").toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        // a task fine-tuned on top of it: the adapter trains with the head, the encoder stays the base model
        Path ft = tmp.resolve("ft");
        Path typing = tmp.resolve("typing.jsonl");
        CliRun f = CliRun.of("finetune", "--model", model.toString(), "--task", "relation", "--train", out.resolve("dev.jsonl").toString(),
                "--dev", out.resolve("dev.jsonl").toString(), "--kadapter", out.toString(), "--output-dir", ft.toString(), "--max-steps", "2",
                "--batch-size", "4", "--max-seq-length", "16");
        assertEquals(0, f.code(), f.err());
        assertTrue(Files.exists(ft.resolve("kadapter_model.safetensors")) && Files.exists(ft.resolve("head.safetensors")), "saved as an adapter run");
        assertTrue(!Files.exists(ft.resolve("model.safetensors")), "the encoder is the base model's");
        assertEquals(0, CliRun.of("eval", "--model", ft.toString(), "--test", out.resolve("dev.jsonl").toString()).code());
        PretrainCommandTest.assertError(CliRun.of("finetune", "--model", model.toString(), "--task", "relation", "--train", typing.toString(), "--dev",
                typing.toString(), "--kadapter", tmp.toString(), "--output-dir", tmp.resolve("ft2").toString()),
                "--kadapter " + tmp + " holds no kadapter_model.safetensors; give the --output of infuse kadapter train");
    }

    @Test
    void anUnknownLabelsValueIsOneLine() {
        CliRun r = CliRun.of(args(tmp.resolve("bad"), "--labels", "tail-type"));
        PretrainCommandTest.assertError(r, "unknown --labels \"tail-type\": expected relation or relation+tail-type");
        assertTrue(!Files.exists(tmp.resolve("bad")));
    }

    @Test
    void aBundleWithoutCoMentionsIsOneLine() throws Exception {
        Path none = KadapterTrainingTest.bundle(tmp.resolve("none"), false);
        List<String> a = new ArrayList<>(List.of(args(tmp.resolve("out-none"))));
        a.set(a.indexOf(bundle.toString()), none.toString());
        PretrainCommandTest.assertError(CliRun.of(a.toArray(String[]::new)), none + ": no corpus sentence mentions both the head and the tail"
                + " of any of its 6 triples, so K-Adapter's relation classification has no example");
    }

    @Test
    void badAdapterLayersAreOneLine() {
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("layers"), "--adapter-layers", "0,x")),
                "--adapter-layers \"0,x\" is not a comma-separated list of layer numbers");
    }
}
