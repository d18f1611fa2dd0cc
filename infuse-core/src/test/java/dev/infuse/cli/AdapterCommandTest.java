package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.adapter.PeftFiles;
import dev.infuse.inject.adapter.Lora;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.TinyRun;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretrain --adapter} and {@code adapter merge} end to end on the tiny model, and their errors as one line. */
class AdapterCommandTest {
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

    static String[] args(Path out, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("pretrain", "--model", model.toString(), "--corpus",
                corpus.toString(), "--max-steps", "6", "--lr", "5e-2", "--batch-size", "2", "--max-seq-length", "16", "--output-dir",
                out.toString()));
        a.addAll(java.util.List.of(extra));
        return a.toArray(String[]::new);
    }

    static float[] hidden(BertModel m) {
        BertInput in = BertInput.builder().setInputIds(new long[][] {{2, 7, 9, 11, 3}}).build();
        try (NDManager s = dev.infuse.engine.Engines.newManager()) {
            return m.forward(s, in, false).lastHidden().toFloatArray();
        }
    }

    @Test
    void aLoraPretrainsPrintsItsShareAndMergesIntoAPlainModel() {
        Path out = tmp.resolve("lora");
        CliRun r = CliRun.of(args(out, "--adapter", "lora", "--lora-r", "2", "--lora-targets", "query,value,dense"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*infuse: training [0-9,]+ of [0-9,]+ parameters \\([0-9.]+%\\).*"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("adapter_config.json")) && Files.isRegularFile(out.resolve(PeftFiles.WEIGHTS)));

        Path merged = tmp.resolve("merged");
        CliRun m = CliRun.of("adapter", "merge", out.toString(), "--output", merged.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.err().contains("merged 10 projections"), m.err());
        try (BertModel base = Checkpoints.readHuggingFace(model); BertModel plain = Checkpoints.readHuggingFace(merged);
                Lora lora = PeftFiles.read(out, base.config())) {
            float[] before = hidden(base);
            base.addHook(lora);
            float[] wrapped = hidden(base);
            base.removeHook(lora);
            float[] folded = hidden(plain);
            double moved = 0;
            double diff = 0;
            for (int i = 0; i < wrapped.length; i++) {
                moved = Math.max(moved, Math.abs(wrapped[i] - before[i]));
                diff = Math.max(diff, Math.abs(wrapped[i] - folded[i]));
            }
            assertTrue(moved > 1e-4, "the trained LoRA changes the outputs, by " + moved);
            assertTrue(diff < 1e-5, "merged model against base + LoRA: " + diff);
        }
        assertEquals(0, CliRun.of("fill-mask", "--model", merged.toString(), "the [MASK] sat on the mat").code(), "a plain model");
    }

    @Test
    void aHoulsbyRunFreezesTheBackboneAndWritesAdapterHubFiles() {
        Path out = tmp.resolve("houlsby");
        CliRun r = CliRun.of(args(out, "--adapter", "houlsby", "--adapter-reduction", "8"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: training 1,168 of"), "4 units a module, 2 modules a layer, 2 layers: " + r.err());
        assertTrue(Files.isRegularFile(out.resolve("adapter.safetensors")));
        Map<String, HostTensor> base = Safetensors.read(model.resolve("model.safetensors"));
        Map<String, HostTensor> after = Safetensors.read(out.resolve("model.safetensors"));
        for (String k : base.keySet()) {
            assertEquals(base.get(k).data(), after.get(k).data(), k + " frozen");
        }
        CliRun m = CliRun.of("adapter", "merge", out.toString(), "--output", tmp.resolve("no-merge").toString());
        PretrainCommandTest.assertError(m, out + " holds a bottleneck adapter, which adds layers; only a LoRA folds into the weights");
    }

    @Test
    void badAdapterFlagsAreOneLine() {
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e1"), "--adapter", "prefix")),
                "unknown --adapter \"prefix\": expected houlsby, pfeiffer, lora");
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e2"), "--adapter", "lora", "--lora-targets", "query,q_proj")),
                "--lora-targets: \"q_proj\" names no projection of a BERT layer (expected one of query, key, value, attention.output.dense, "
                        + "intermediate.dense, output.dense, or dense for all three)");
        CliRun r0 = CliRun.of(args(tmp.resolve("e3"), "--adapter", "lora", "--lora-r", "0"));
        assertEquals(2, r0.code(), r0.err());
        assertEquals("infuse: --lora-r must be at least 1, found 0", r0.err().strip());
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e4"), "--lora-r", "4")), "--lora-r belongs to --adapter");
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e5"), "--adapter", "pfeiffer", "--lora-alpha", "4")),
                "--lora-alpha belongs to --adapter lora, not --adapter pfeiffer");
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e6"), "--adapter", "lora", "--train-top-layers", "1")),
                "--adapter freezes the backbone; add --train-backbone to also train the part of it that --train-top-layers names");
        for (String e : new String[] {"e1", "e2", "e3", "e4", "e5", "e6"}) {
            assertFalse(Files.exists(tmp.resolve(e).resolve("model.safetensors")), e + " did no work");
        }
    }

    @Test
    void mergingAPeftFileWhoseShapesDisagreeIsOneLine() throws Exception {
        Path run = tmp.resolve("bad-peft");
        Files.createDirectories(run);
        Files.writeString(run.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 2, \"lora_alpha\": 2, \"target_modules\": [\"query\"],"
                + " \"base_model_name_or_path\": \"" + model.toString().replace("\\", "\\\\") + "\", \"some_new_key\": 3}");
        Safetensors.write(run.resolve("adapter_model.safetensors"), Map.of(
                "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight", new HostTensor(new long[] {2, 48}, java.nio.FloatBuffer.allocate(96)),
                "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight", new HostTensor(new long[] {32, 2}, java.nio.FloatBuffer.allocate(64))));
        CliRun r = CliRun.of("adapter", "merge", run.toString(), "--output", tmp.resolve("bad-out").toString());
        PretrainCommandTest.assertError(r, run.resolve("adapter_model.safetensors")
                + ": base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight has shape [2, 48], but r and the model need [2, 32]");
        assertFalse(Files.exists(tmp.resolve("bad-out").resolve("model.safetensors")));
    }

}
