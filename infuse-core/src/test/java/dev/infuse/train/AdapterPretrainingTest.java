package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.inject.adapter.BottleneckAdapter;
import dev.infuse.inject.adapter.BottleneckSpec;
import dev.infuse.inject.adapter.LoraSpec;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.LayerHook;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PlainCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Houlsby, Pfeiffer and LoRA each pretrain with MLM on the tiny model: the backbone stays byte for byte, the
 * adapter moves, its files land beside the model, and a killed run resumes bit-identically.
 */
class AdapterPretrainingTest {
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

    static PretrainJob job(Path out, boolean resume, HookSpec hook) {
        return new PretrainJob(model.toString(), new PlainCorpus(corpus), "token", InstanceStream.Packing.LINE, ModulesTest.FROZEN, out, resume,
                false, Objective.Spec.MLM, List.of(hook));
    }

    @Test
    void houlsbyTrainsAloneAndResumesBitIdentically() throws Exception {
        check("houlsby", new BottleneckSpec(BottleneckAdapter.Layout.HOULSBY, 8), "adapter.safetensors");
    }

    @Test
    void pfeifferTrainsAloneAndResumesBitIdentically() throws Exception {
        check("pfeiffer", new BottleneckSpec(BottleneckAdapter.Layout.PFEIFFER, 8), "adapter.safetensors");
    }

    @Test
    void loraTrainsAloneAndResumesBitIdentically() throws Exception {
        check("lora", new LoraSpec(4, 8f, 0.1f, List.of("query", "value", "output.dense")), "adapter_model.safetensors");
    }

    private void check(String name, HookSpec spec, String weights) throws Exception {
        Path straight = tmp.resolve(name + "-straight");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Pretraining.run(job(straight, false, spec), List.of(), new PrintStream(log, true, StandardCharsets.UTF_8));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s).*infuse: training [0-9,]+ of [0-9,]+ parameters \\([0-9.]+%\\).*"), printed);

        Map<String, HostTensor> trained = Safetensors.read(straight.resolve(TrainCheckpoint.MODULES));
        LayerHook fresh = spec.create(Checkpoints.readHuggingFace(model).config(), ModulesTest.FROZEN.seed() * 31);
        assertEquals(fresh.parameters().keySet(), trained.keySet(), "the checkpointed modules are the adapter's parameters");
        double moved = 0;
        for (Map.Entry<String, NDArray> e : fresh.parameters().entrySet()) {
            float[] a = e.getValue().toFloatArray();
            float[] b = ModulesTest.values(trained.get(e.getKey()));
            for (int i = 0; i < a.length; i++) {
                moved = Math.max(moved, Math.abs(a[i] - b[i]));
            }
        }
        ((AutoCloseable) fresh).close();
        assertTrue(moved > 1e-3, name + " should have trained, moved " + moved);
        try (BertModel before = Checkpoints.readHuggingFace(model); BertModel after = Checkpoints.readHuggingFace(straight)) {
            for (Map.Entry<String, NDArray> e : before.parameters().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), after.parameter(e.getKey()).toFloatArray(), e.getKey() + " is frozen");
            }
        }
        assertTrue(Files.isRegularFile(straight.resolve("adapter_config.json")), "adapter config beside the model");
        Map<String, HostTensor> saved = Safetensors.read(straight.resolve(weights));
        for (Map.Entry<String, HostTensor> e : saved.entrySet()) {
            assertArrayEquals(ModulesTest.values(trained.get(e.getKey())), ModulesTest.values(e.getValue()), e.getKey() + " saved as trained");
        }

        Path killed = tmp.resolve(name + "-killed");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(killed, false, spec), List.of(new KillAfter(4)), TinyRun.QUIET));
        assertFalse(Files.exists(killed.resolve(weights)), "no adapter file before the run ends");
        Pretraining.run(job(killed, true, spec), List.of(), TinyRun.QUIET);
        for (String f : new String[] {TrainCheckpoint.MODULES, "model.safetensors", "checkpoint/optimizer.safetensors", weights, "adapter_config.json"}) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), killed.resolve(f)), f + " after kill and resume");
        }
    }

    @Test
    void aResumeWithAnotherAdapterSizeIsRefusedInOneLine() {
        Path out = tmp.resolve("resized");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(out, false, new LoraSpec(2, 8f, 0f, LoraSpec.DEFAULT_TARGETS)),
                List.of(new KillAfter(4)), TinyRun.QUIET));
        InfuseException e = assertThrows(InfuseException.class,
                () -> Pretraining.run(job(out, true, new LoraSpec(4, 8f, 0f, LoraSpec.DEFAULT_TARGETS)), List.of(), TinyRun.QUIET));
        assertTrue(e.getMessage().startsWith("cannot resume: ") && e.getMessage().contains("lora-r: 2 there, 4 here"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        InfuseException b = assertThrows(InfuseException.class,
                () -> Pretraining.run(job(out, true, new BottleneckSpec(BottleneckAdapter.Layout.HOULSBY, 16)), List.of(), TinyRun.QUIET));
        assertTrue(b.getMessage().contains("adapter: lora there, houlsby here"), b.getMessage());
    }
}
