package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.LayerHook;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PlainCorpus;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules that own parameters plug into the one loop by name: a layer hook and an objective with a
 * parameter of its own each train while the frozen backbone stays byte for byte, and a killed run resumes
 * bit-identically, their parameters and checkpoint state included.
 */
class ModulesTest {
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

    /** Scales the top layer's feed-forward output by (1 + gate); the gate starts at zero, so training moves it. */
    static final class GateHook implements LayerHook, AutoCloseable {
        final NDManager manager = Engines.newManager();
        final NDArray gate;
        final int layer;

        GateHook(BertConfig c) {
            gate = manager.zeros(new Shape(c.hiddenSize()));
            layer = c.numHiddenLayers() - 1;
        }

        @Override
        public Map<String, NDArray> parameters() {
            return Map.of("toy_hook.gate", gate);
        }

        @Override
        public NDArray output(Block b) {
            NDArray x = b.output();
            return b.point() == Point.AFTER_FEED_FORWARD && b.layer() == layer ? x.add(x.mul(gate)) : x; // (B, T, H)
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    static final HookSpec GATE = new HookSpec() {
        @Override
        public Map<String, Object> identity() {
            return Map.of("toy-hook", "gate");
        }

        @Override
        public LayerHook create(BertConfig config, long seed) {
            return new GateHook(config);
        }
    };

    /**
     * MLM with a learned logit scale, and a count of the micro-batches it has scored as checkpoint state:
     * a resumed run ends with the uninterrupted run's count only if the state was restored.
     */
    static final class ScaledMlm implements Objective {
        final NDManager manager = Engines.newManager();
        final NDArray scale = Tensors.copyOf(manager, new float[] {1f}, new Shape(1));
        float scored;

        @Override
        public NDArray loss(MlmForward f) {
            MlmBatch batch = f.batch();
            BertModel m = f.model();
            NDManager s = f.manager();
            if (batch.predicted() == 0) {
                return null;
            }
            scored++;
            NDArray hidden = f.lastHidden();
            int n = batch.predicted();
            NDArray picked = hidden.reshape(-1, m.config().hiddenSize()).get(Tensors.copyOf(s, batch.positions(), new Shape(n))); // (N, H)
            NDArray logits = m.mlmLogits(m.mlmTransform(picked)).mul(scale); // (N, V)
            return Losses.crossEntropy(logits, Tensors.copyOf(s, batch.labels(), new Shape(n)));
        }

        @Override
        public Map<String, NDArray> parameters() {
            return Map.of("toy_objective.scale", scale);
        }

        @Override
        public Map<String, HostTensor> checkpointState() {
            return Map.of("toy_objective.scored", new HostTensor(new long[] {1}, FloatBuffer.wrap(new float[] {scored})));
        }

        @Override
        public void restoreCheckpointState(Map<String, HostTensor> state) {
            scored = state.get("toy_objective.scored").data().get(0);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    static final Objective.Spec SCALED = new Objective.Spec() {
        @Override
        public Map<String, Object> identity() {
            return Map.of("toy-objective", "scaled-mlm");
        }

        @Override
        public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
            return new ScaledMlm();
        }
    };

    /** Dropout, accumulation and clipping on, as in the trainer's own resume test; only modules train. */
    static final TrainSettings FROZEN = new TrainSettings(3, 12, 2e-2f, 2, LrSchedule.Kind.LINEAR, 0.5f, 2, Freeze.backbone(), 3, 8, 11,
            0.01f, 0.15);

    static PretrainJob job(Path out, boolean resume, Objective.Spec objective, List<HookSpec> hooks) {
        return new PretrainJob(model.toString(), new PlainCorpus(corpus), "token", InstanceStream.Packing.LINE, FROZEN, out, resume, false,
                objective, hooks);
    }

    @Test
    void aLayerHookTrainsAloneAndResumesBitIdentically() throws Exception {
        checkModuleRun("hook", Objective.Spec.MLM, List.of(GATE), "toy_hook.gate", 0f);
    }

    @Test
    void anObjectiveWithItsOwnParameterTrainsAloneAndResumesBitIdentically() throws Exception {
        checkModuleRun("objective", SCALED, List.of(), "toy_objective.scale", 1f);
        Map<String, HostTensor> end = Safetensors.read(tmp.resolve("objective-straight").resolve(TrainCheckpoint.MODULES));
        assertEquals(16f, end.get("toy_objective.scored").data().get(0), "8 steps of 2 micro-batches, counted across the kill too");
    }

    @Test
    void aWeightedSumOfObjectivesTrainsTheirHeadsAndResumesBitIdentically() throws Exception {
        Objective.Spec sum = new ObjectiveSum.Spec(List.of("mlm", "sensebert"), List.of(1f, 0.5f),
                List.of(Objective.Spec.MLM, new dev.infuse.inject.sensebert.SenseBertSpec(null, 3)));
        checkModuleRun("sum", sum, List.of(), "sensebert.head.bias", 0f);
    }

    @Test
    void libertsPairBatchesTrainItsHeadAndResumeBitIdentically() throws Exception {
        Objective.Spec sum = new ObjectiveSum.Spec(List.of("mlm", "libert"), List.of(1f, 1f),
                List.of(Objective.Spec.MLM, new dev.infuse.inject.libert.LibertSpec(null, 2, 3)));
        checkModuleRun("libert", sum, List.of(), "libert.head.bias", 0f);
        Map<String, HostTensor> end = Safetensors.read(tmp.resolve("libert-straight").resolve(TrainCheckpoint.MODULES));
        assertEquals(16f, end.get("libert.batches").data().get(1), "one pair batch beside each of 8 steps x 2 micro-batches, across the kill too");
    }

    private void checkModuleRun(String name, Objective.Spec objective, List<HookSpec> hooks, String parameter, float start) throws Exception {
        Path straight = tmp.resolve(name + "-straight");
        Pretraining.run(job(straight, false, objective, hooks), List.of(), TinyRun.QUIET);
        float[] trained = values(Safetensors.read(straight.resolve(TrainCheckpoint.MODULES)).get(parameter));
        double moved = 0;
        for (float v : trained) {
            moved = Math.max(moved, Math.abs(v - start));
        }
        assertTrue(moved > 1e-3, parameter + " should have trained, moved " + moved);
        try (BertModel before = Checkpoints.readHuggingFace(model); BertModel after = Checkpoints.readHuggingFace(straight)) {
            for (Map.Entry<String, NDArray> e : before.parameters().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), after.parameter(e.getKey()).toFloatArray(), e.getKey() + " is frozen");
            }
        }

        Path killed = tmp.resolve(name + "-killed");
        assertThrows(IllegalStateException.class,
                () -> Pretraining.run(job(killed, false, objective, hooks), List.of(new KillAfter(4)), TinyRun.QUIET));
        assertEquals(3, TrainCheckpoint.readState(killed.resolve("checkpoint")).step());
        Pretraining.run(job(killed, true, objective, hooks), List.of(), TinyRun.QUIET);
        for (String f : new String[] {TrainCheckpoint.MODULES, "model.safetensors", "checkpoint/optimizer.safetensors"}) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), killed.resolve(f)), f + " after kill and resume");
        }
    }

    static float[] values(HostTensor t) {
        float[] out = new float[t.data().remaining()];
        t.data().duplicate().get(out);
        return out;
    }

    @Test
    void aRunWithNothingToTrainIsRefused() {
        Path out = tmp.resolve("nothing");
        dev.infuse.InfuseException e = assertThrows(dev.infuse.InfuseException.class,
                () -> Pretraining.run(job(out, false, Objective.Spec.MLM, List.of()), List.of(), TinyRun.QUIET));
        assertTrue(e.getMessage().contains("nothing to train"), e.getMessage());
    }
}
