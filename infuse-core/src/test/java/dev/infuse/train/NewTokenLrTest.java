package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.vocab.VocabChoice;
import dev.infuse.inject.vocab.VocabExtension;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PlainCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretrain --new-token-lr-scale}: a vocabulary extension's rows at a rate of their own, in the optimizer and in a run. */
class NewTokenLrTest {
    @TempDir
    static Path tmp;
    static Path extended;
    static Path corpus;
    static int firstNew;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        Path base = TinyRun.model(tmp.resolve("tiny"));
        corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, List.of("the cats sat on the mat", "birds sing when the suns rise", "", "the cats ran in the park",
                "red apples grow on tall trees", "cold rivers run to the sea", "the suns rise in the east"));
        extended = tmp.resolve("extended");
        VocabExtension.Result r = VocabExtension.run(new VocabExtension.Job(base.toString(), new PlainCorpus(corpus), null,
                new VocabChoice.Settings(2, 1), extended, false), TinyRun.QUIET);
        assertEquals(List.of("cats", "suns"), r.added().stream().map(VocabChoice.Word::text).toList());
        firstNew = r.firstId();
    }

    /** loss = sum(c * w^2) over a (4, 2) weight: every element gets a gradient. */
    static void backward(NDArray c, NDArray... ws) {
        try (GradientCollector gc = Engines.get().newGradientCollector()) {
            NDArray loss = null;
            for (NDArray w : ws) {
                NDArray l = c.mul(w).mul(w).sum();
                loss = loss == null ? l : loss.add(l);
            }
            gc.backward(loss);
        }
    }

    @Test
    void splitRowsStepAsTwoParametersAtTheirOwnRatesWouldDecayIncluded() {
        float[] w0 = {0.5f, -1.5f, 2f, 0.01f, -0.3f, 0.7f, 1.1f, -2f};
        float[] c0 = {1f, -2f, 0.5f, 3f, 0.2f, 1f, -1f, 2f};
        try (NDManager m = Engines.newManager(); AdamW adam = new AdamW(AdamW.Settings.withDecay(0.1f))) {
            NDArray c = Tensors.copyOf(m, c0, new Shape(4, 2));
            NDArray split = Tensors.copyOf(m, w0, new Shape(4, 2));
            NDArray slow = Tensors.copyOf(m, w0, new Shape(4, 2));
            NDArray fast = Tensors.copyOf(m, w0, new Shape(4, 2));
            Map<String, NDArray> params = new LinkedHashMap<>(Map.of("split", split, "slow", slow, "fast", fast));
            params.values().forEach(p -> p.setRequiresGradient(true));
            for (int step = 0; step < 3; step++) {
                backward(c, split, slow, fast);
                adam.step(params, Set.of(), name -> name.equals("fast") ? 0.05 * 10 : 0.05, 1f,
                        name -> name.equals("split") ? new AdamW.Split(4, 1f, 10f) : null, name -> 0);
            }
            float[] s = split.toFloatArray();
            assertArrayEquals(Arrays.copyOf(slow.toFloatArray(), 4), Arrays.copyOf(s, 4), 0f, "rows 0-1 at the rate");
            assertArrayEquals(Arrays.copyOfRange(fast.toFloatArray(), 4, 8), Arrays.copyOfRange(s, 4, 8), 0f, "rows 2-3 at ten times it");
            assertFalse(Arrays.equals(Arrays.copyOfRange(slow.toFloatArray(), 4, 8), Arrays.copyOfRange(s, 4, 8)));
        }
    }

    @Test
    void fixedRowsKeepTheirBitsAndTheirGradientLeavesTheNorm() {
        float[] w0 = {0.5f, -1.5f, 2f, 0.01f, -0.3f, 0.7f, 1.1f, -0f};
        try (NDManager m = Engines.newManager(); AdamW adam = new AdamW(AdamW.Settings.withDecay(0.1f))) {
            NDArray c = Tensors.copyOf(m, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, new Shape(4, 2));
            NDArray w = Tensors.copyOf(m, w0, new Shape(4, 2));
            w.setRequiresGradient(true);
            Trainables t = new Trainables().module(new dev.infuse.model.ParameterOwner() {
                @Override
                public Map<String, NDArray> parameters() {
                    return Map.of("w", w);
                }
            }).splitRows("w", 3, 0f, 10f);
            try (dev.infuse.model.BertModel other = dev.infuse.model.BertModel.random(dev.infuse.model.BertConfig.tiny(8), 1)) {
                assertTrue(t.share(other).startsWith("training 2 of"), "only the last row's two values train: " + t.share(other));
            }
            backward(c, w);
            t.maskFixedRows();
            try (NDArray g = w.getGradient()) {
                assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 2 * 1.1f, 0}, g.toFloatArray(), 0f, "rows 0-2 masked, row 3 kept");
            }
            adam.step(t.trained(), t.noDecay(), name -> 0.05, 1f, t::split, name -> 0);
            float[] after = w.toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(Float.floatToRawIntBits(w0[i]), Float.floatToRawIntBits(after[i]), "element " + i);
            }
            assertTrue(after[6] < w0[6] - 0.4f, "row 3 moved by about ten times the rate: " + after[6]);
            java.nio.FloatBuffer moments = adam.exportMoments().get("m.w").data();
            for (int i = 0; i < 6; i++) {
                assertEquals(0f, moments.get(i), "no moment for fixed element " + i);
            }
        }
    }

    static PretrainJob job(Path out, float scale, boolean resume) {
        TrainSettings s = new TrainSettings(4, 16, 1e-3f, 1, LrSchedule.Kind.LINEAR, 1f, 1, new Freeze(1, false), 3, 6, 7, 0.01f, 0.3);
        return new PretrainJob(extended.toString(), new PlainCorpus(corpus), "token", InstanceStream.Packing.LINE, s, out, resume, false)
                .withNewTokenLrScale(scale);
    }

    @Test
    void underFrozenEmbeddingsOnlyTheNewRowsMoveAndAStoppedRunResumesOnlyWithItsScale() throws Exception {
        Path straight = tmp.resolve("straight");
        Pretraining.run(job(straight, 10f, false), List.of(), TinyRun.QUIET);
        int h = 32;
        try (MaskedLm before = MaskedLm.load(extended.toString()); MaskedLm after = MaskedLm.load(straight.toString())) {
            float[] a = before.model().wordEmbeddings().toFloatArray();
            float[] b = after.model().wordEmbeddings().toFloatArray();
            assertArrayEquals(Arrays.copyOf(a, firstNew * h), Arrays.copyOf(b, firstNew * h), 0f, "old rows, frozen by --train-top-layers, bit for bit");
            for (int row = firstNew; row < firstNew + 2; row++) {
                assertFalse(Arrays.equals(Arrays.copyOfRange(a, row * h, row * h + h), Arrays.copyOfRange(b, row * h, row * h + h)), "new row " + row + " trained");
            }
        }
        assertTrue(Files.readString(straight.resolve("provenance.json")).contains("\"new-token-lr-scale\""));

        Path killed = tmp.resolve("killed");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(killed, 10f, false), List.of(new KillAfter(4)), TinyRun.QUIET));
        InfuseException refused = assertThrows(InfuseException.class, () -> Pretraining.run(job(killed, 5f, true), List.of(), TinyRun.QUIET));
        assertEquals("cannot resume: " + killed + " holds a different run (new-token-lr-scale: 10.0 there, 5.0 here)", refused.getMessage());
        Pretraining.run(job(killed, 10f, true), List.of(), TinyRun.QUIET);
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")), Files.readAllBytes(killed.resolve("model.safetensors")));
    }

    @Test
    void aModelWithoutAnExtensionIsOneLine() {
        TrainSettings s = TinyRun.settings(2);
        PretrainJob j = new PretrainJob(tmp.resolve("tiny").toString(), new PlainCorpus(corpus), "token", InstanceStream.Packing.LINE, s,
                tmp.resolve("plain"), false, false).withNewTokenLrScale(2f);
        InfuseException e = assertThrows(InfuseException.class, () -> Pretraining.run(j, List.of(), TinyRun.QUIET));
        assertEquals("--new-token-lr-scale needs a model from infuse vocab extend: " + tmp.resolve("tiny") + " has no vocab_extension.json", e.getMessage());
    }
}
