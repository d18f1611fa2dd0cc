package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.AdamW;
import dev.infuse.train.StepReport;
import dev.infuse.train.TinyRun;
import dev.infuse.train.Trainables;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer-wise rates, gradual unfreezing, two-stage fine-tuning and checkpoint averaging. */
class TransferScheduleTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path train;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        train = TinyTasks.typing(tmp.resolve("train.jsonl"), 30, 12);
    }

    static FinetuneJob job(String base, Path out, int steps, int topLayers, TransferSchedule s) {
        return job(base, out, steps, 2, topLayers, s);
    }

    static FinetuneJob job(String base, Path out, int steps, int evalEvery, int topLayers, TransferSchedule s) {
        return new FinetuneJob(base, "typing", train, train, Transfer.FULL, topLayers, 8, 32, 1e-3f, 1, steps, evalEvery, 100, 0.1f, 3, out, false,
                false).withSchedule(s);
    }

    @Test
    void layerWiseRatesFollowElectrasDepths() {
        BertConfig c = BertConfig.tiny(40); // 2 layers
        TransferSchedule s = new TransferSchedule(0.5f, 0, null, 0);
        assertEquals(Math.pow(0.5, 3), s.lrScale(c, "bert.encoder.layer.0.output.dense.weight"), 1e-12, "layer 0 of 2: d^(L+1-0)");
        assertEquals(Math.pow(0.5, 2), s.lrScale(c, "bert.encoder.layer.1.attention.self.query.weight"), 1e-12, "the top layer: d^2");
        assertEquals(Math.pow(0.5, 4), s.lrScale(c, "bert.embeddings.word_embeddings.weight"), 1e-12, "embeddings: d^(L+2)");
        assertEquals(1, TransferSchedule.NONE.lrScale(c, "bert.embeddings.word_embeddings.weight"), 0);
        try (BertModel m = BertModel.random(c, 1)) {
            Trainables t = new Trainables().encoder(m, n -> true, n -> s.lrScale(c, n));
            assertEquals(1e-3f * 0.125f, t.lr("bert.encoder.layer.0.output.dense.weight", 1e-3f), 1e-12);
        }
    }

    @Test
    void unfreezingOpensOneLayerFromTheTopPerStage() {
        BertConfig c = BertConfig.tiny(40);
        try (BertModel m = BertModel.random(c, 1)) {
            Trainables t = new Trainables().encoder(m, n -> true).unfreezing(n -> TransferSchedule.unfrozenFrom(c, n, 3));
            for (long step = 0; step < 12; step++) {
                Set<String> groups = new TreeSet<>();
                for (String n : t.active(step).keySet()) {
                    int layer = TransferSchedule.layerOf(c, n);
                    groups.add(layer < 0 ? "embeddings" : layer >= c.numHiddenLayers() ? "other" : "layer" + layer);
                }
                Set<String> expected = new TreeSet<>();
                if (step >= 3) {
                    expected.addAll(Set.of("layer1"));
                    if (t.trained().keySet().stream().anyMatch(n -> TransferSchedule.layerOf(c, n) == c.numHiddenLayers())) {
                        expected.add("other");
                    }
                }
                if (step >= 6) {
                    expected.add("layer0");
                }
                if (step >= 9) {
                    expected.add("embeddings");
                }
                assertEquals(expected, groups, "step " + step);
                for (Map.Entry<String, NDArray> e : t.trained().entrySet()) {
                    assertEquals(t.active(step).containsKey(e.getKey()), e.getValue().hasGradient(), e.getKey() + " records gradients only when open");
                }
            }
        }
    }

    @Test
    void aLateParameterGetsTheFirstUpdateAFreshOneGets() {
        try (NDManager s = Engines.newManager(); AdamW adam = new AdamW(AdamW.Settings.withDecay(0f))) {
            NDArray early = Tensors.copyOf(s, new float[] {1, 2}, new Shape(2));
            NDArray late = Tensors.copyOf(s, new float[] {1, 2}, new Shape(2));
            Map<String, NDArray> both = new LinkedHashMap<>(Map.of("early", early, "late", late));
            java.util.function.ToLongFunction<String> from = n -> n.equals("late") ? 3 : 0;
            float[] firstEarly = null;
            for (int step = 0; step < 4; step++) {
                Map<String, NDArray> active = new LinkedHashMap<>();
                active.put("early", early);
                if (step >= 3) {
                    active.put("late", late);
                }
                for (NDArray p : active.values()) {
                    p.setRequiresGradient(true);
                    try (ai.djl.training.GradientCollector gc = Engines.get().newGradientCollector()) {
                        gc.backward(p.mul(p).sum());
                    }
                }
                float[] before = early.toFloatArray();
                adam.step(active, Set.of(), n -> 0.1, 1f, n -> null, from);
                if (step == 0) {
                    firstEarly = delta(before, early.toFloatArray());
                }
            }
            // late's first update, at global step 4, is Adam's first step: the same as early's at step 1
            assertArrayEquals(firstEarly, delta(new float[] {1, 2}, late.toFloatArray()), 1e-6f);
        }
    }

    static float[] delta(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = b[i] - a[i];
        }
        return d;
    }

    @Test
    void unfreezingLaterThanTheRunLeavesTheEncoderAlone() throws Exception {
        Path out = tmp.resolve("frozen-by-schedule");
        FineTuning.run(job(model.toString(), out, 4, 0, new TransferSchedule(1f, 100, null, 0)), List.of(), QUIET);
        var base = Safetensors.read(model.resolve("model.safetensors"));
        var tuned = Safetensors.read(out.resolve("model.safetensors"));
        for (String n : List.of("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.1.output.dense.weight")) {
            assertEquals(base.get(n).data(), tuned.get(n).data(), n + " was never opened");
        }
        Path open = tmp.resolve("opened-by-schedule");
        FineTuning.run(job(model.toString(), open, 4, 4, 0, new TransferSchedule(1f, 2, null, 0)), List.of(), QUIET); // one evaluation: the last step's model
        var opened = Safetensors.read(open.resolve("model.safetensors"));
        assertNotEquals(base.get("bert.encoder.layer.1.output.dense.weight").data(), opened.get("bert.encoder.layer.1.output.dense.weight").data(),
                "the top layer opened at step 2");
        assertEquals(base.get("bert.encoder.layer.0.output.dense.weight").data(), opened.get("bert.encoder.layer.0.output.dense.weight").data(),
                "layer 0 opens at step 4, after the run");
    }

    @Test
    void theSecondStageStartsFromTheFirstAndRefusesAnotherBase() throws Exception {
        Path first = tmp.resolve("first");
        FineTuning.run(job(model.toString(), first, 4, 0, TransferSchedule.NONE), List.of(), QUIET);
        Path second = tmp.resolve("second");
        List<String> lines = new java.util.ArrayList<>();
        PrintStream log = new PrintStream(new OutputStream() {
            final StringBuilder b = new StringBuilder();

            @Override
            public void write(int c) {
                if (c == '\n') {
                    lines.add(b.toString());
                    b.setLength(0);
                } else {
                    b.append((char) c);
                }
            }
        }, true);
        FineTuning.run(job(model.toString(), second, 2, 1, new TransferSchedule(1f, 0, first, 0)), List.of(), log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("and its typing head")), String.join("\n", lines));
        var base = Safetensors.read(model.resolve("model.safetensors"));
        var one = Safetensors.read(first.resolve("model.safetensors"));
        var two = Safetensors.read(second.resolve("model.safetensors"));
        String lower = "bert.encoder.layer.0.output.dense.weight"; // frozen in the second stage (top 1 layer trains)
        assertEquals(one.get(lower).data(), two.get(lower).data(), "the second stage starts from the first's encoder");
        assertNotEquals(base.get(lower).data(), two.get(lower).data());

        Path other = TinyRun.model(tmp.resolve("other-base"));
        InfuseException e = assertThrows(InfuseException.class,
                () -> FineTuning.run(job(other.toString(), tmp.resolve("third"), 2, 0, new TransferSchedule(1f, 0, first, 0)), List.of(), QUIET));
        assertEquals("--init-from " + first + " was fine-tuned from " + model + ", not from --model " + other, e.getMessage());
        assertEquals("--init-from " + tmp + " is not a fine-tuned run (no task.json and provenance.json)", assertThrows(InfuseException.class,
                () -> FineTuning.run(job(model.toString(), tmp.resolve("fourth"), 2, 0, new TransferSchedule(1f, 0, tmp, 0)), List.of(), QUIET))
                .getMessage());
    }

    @Test
    void averagingTwoIdenticalSnapshotsGivesTheSameBytes() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("avg-identical"));
        try (NDManager s = Engines.newManager()) {
            float[] v = {0.1f, -3.3f, 7e-8f, 1234.5f, Float.MIN_NORMAL};
            NDArray p = Tensors.copyOf(s, v, new Shape(5));
            CheckpointAverage a = new CheckpointAverage(out, Map.of("w", p), 1, 2);
            a.onStep(new StepReport(1, 2, 0, 0, 0, 0, 0, null, 0, null));
            a.onStep(new StepReport(2, 2, 0, 0, 0, 0, 0, null, 0, null));
            p.muli(Tensors.scalar(s, 0f));
            assertEquals(2, a.average());
            assertArrayEquals(v, p.toFloatArray(), 0f);
            assertEquals(-1L, Files.mismatch(out.resolve("snapshots/" + CheckpointAverage.name(1)), out.resolve("snapshots/" + CheckpointAverage.name(2))));
        }
    }

    @Test
    void anAveragedRunKeepsTheLastKSnapshotsAndSavesTheirMean() throws Exception {
        Path out = tmp.resolve("averaged-run");
        FineTuning.run(job(model.toString(), out, 8, 0, new TransferSchedule(1f, 0, null, 3)), List.of(), QUIET);
        List<Path> kept = CheckpointAverage.snapshots(out.resolve(CheckpointAverage.DIR));
        assertEquals(List.of(CheckpointAverage.name(4), CheckpointAverage.name(6), CheckpointAverage.name(8)),
                kept.stream().map(p -> p.getFileName().toString()).toList());
        String w = TaskHead.WEIGHT;
        float[] mean = null;
        for (Path k : kept) {
            HostTensor t = Safetensors.read(k).get(w);
            float[] a = new float[t.data().remaining()];
            t.data().duplicate().get(a);
            if (mean == null) {
                mean = new float[a.length];
            }
            for (int i = 0; i < a.length; i++) {
                mean[i] += a[i] / 3;
            }
        }
        try (TaskModel m = TaskModel.load(out.resolve(CheckpointAverage.AVERAGED))) {
            assertArrayEquals(mean, m.head().parameters().get(w).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void badScheduleValuesAreOneLine() {
        assertEquals("--layer-lr-decay must be in (0, 1], found 1.5",
                assertThrows(InfuseException.class, () -> new TransferSchedule(1.5f, 0, null, 0)).getMessage());
        assertEquals("--unfreeze-every must be a positive number of steps or \"epoch\", found \"0\"",
                assertThrows(InfuseException.class, () -> TransferSchedule.parseUnfreezeEvery("0")).getMessage());
        assertEquals(TransferSchedule.EPOCH, TransferSchedule.parseUnfreezeEvery("epoch"));
        assertEquals("--average-last must be at least 2 (checkpoints to average), found 1",
                assertThrows(InfuseException.class, () -> new TransferSchedule(1f, 0, null, 1)).getMessage());
        assertEquals("--layer-lr-decay and --unfreeze-every need --transfer full; top freezes the whole encoder", assertThrows(InfuseException.class,
                () -> new FinetuneJob(model.toString(), "typing", train, train, Transfer.TOP, 0, 8, 32, 1e-3f, 1, 2, 2, 100, 0.1f, 3, tmp.resolve("x"),
                        false, false).withSchedule(new TransferSchedule(0.9f, 0, null, 0))).getMessage());
    }
}
