package dev.infuse.inject.zeo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertInput;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.TinyRun;
import dev.infuse.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The triplet loss, type-aware negatives and the joint objective on tiny tensors. */
class ZeoObjectiveTest {
    @TempDir
    static java.nio.file.Path tmp;
    static MaskedLm lm;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        lm = MaskedLm.load(TinyRun.model(tmp.resolve("tiny")).toString());
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    @Test
    void tripletLossAndItsGradientMatchAHandComputation() {
        try (NDManager m = Engines.newManager()) {
            NDArray a = Tensors.copyOf(m, new float[] {0, 0, 1, 1}, new Shape(2, 2));
            NDArray p = Tensors.copyOf(m, new float[] {3, 4, 1, 1}, new Shape(2, 2));
            NDArray n = Tensors.copyOf(m, new float[] {1, 0, 4, 5}, new Shape(2, 2));
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray loss = Triplet.loss(a, p, n);
                // triplet 1: max(0, 5 - 1 + 1) = 5; triplet 2: max(0, 0 - 5 + 1) = 0; mean 2.5
                assertEquals(2.5f, loss.getFloat(), 1e-5f);
                System.gc(); // a freed scalar buffer would corrupt the backward pass (docs/DJL.md)
                gc.backward(loss);
            }
            // d/da1 = ((a-p)/|a-p| - (a-n)/|a-n|) / 2 = ((-0.6, -0.8) - (-1, 0)) / 2; triplet 2 is inactive
            try (NDArray g = a.getGradient()) {
                assertArrayEquals(new float[] {0.2f, -0.4f, 0f, 0f}, g.toFloatArray(), 1e-5f);
            }
            assertFalse(p.hasGradient() || n.hasGradient(), "positives and negatives are constants");
        }
    }

    static KnowledgeVectors vectors(String... types) {
        List<KnowledgeVectors.Row> rows = new ArrayList<>();
        Random rng = new Random(5);
        int h = lm.model().config().hiddenSize();
        float[] v = new float[types.length * h];
        for (int i = 0; i < types.length; i++) {
            rows.add(new KnowledgeVectors.Row("e" + i, "e" + i, types[i]));
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return new KnowledgeVectors(rows, v, h, "x");
    }

    @Test
    void negativesAlwaysHaveAnotherTypeThanTheAnchor() {
        for (long seed = 0; seed < 300; seed++) {
            Random rng = new Random(seed);
            int n = 2 + rng.nextInt(30);
            String[] types = new String[n];
            for (int i = 0; i < n; i++) {
                types[i] = "t" + (i < 2 ? i : rng.nextInt(1 + rng.nextInt(5))); // at least two types, often skewed
            }
            KnowledgeVectors v = vectors(types);
            NegativeSampler s = new NegativeSampler(v, "test");
            for (int a = 0; a < n; a++) {
                for (int neg : s.sample(a, 1 + rng.nextInt(4), new Random(rng.nextLong()))) {
                    assertNotEquals(types[a], types[neg], "seed " + seed + ": anchor " + a + " drew " + neg);
                }
            }
        }
    }

    @Test
    void negativesWithoutTypesAreAClearError() {
        InfuseException e = assertThrows(InfuseException.class, () -> new NegativeSampler(vectors("a", "", ""), "v.zeo"));
        assertEquals("negatives must have a type different from the anchor's, but 2 of 3 entities in v.zeo have no type (first: e1);"
                + " give every entity a \"type\" in entities.jsonl", e.getMessage());
        e = assertThrows(InfuseException.class, () -> new NegativeSampler(vectors("a", "a"), "v.zeo"));
        assertTrue(e.getMessage().contains("every entity in v.zeo has type \"a\""), e.getMessage());
    }

    /** [CLS] the cat sat on the [MASK] [SEP] / [CLS] a dog ran [SEP] [PAD]..., cat and dog linked. */
    static MlmBatch batch() {
        long[][] ids = {ids("[CLS]", "the", "cat", "sat", "on", "the", "[MASK]", "[SEP]"),
                ids("[CLS]", "a", "dog", "ran", "[SEP]", "[PAD]", "[PAD]", "[PAD]")};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0}};
        BertInput in = BertInput.builder().setInputIds(ids).optPaddingMask(mask).build();
        List<MlmBatch.Linked> links = List.of(new MlmBatch.Linked(0, 2, 3, "e0", 11), new MlmBatch.Linked(1, 1, 3, "e2", 12));
        return new MlmBatch(in, new long[] {6}, new long[] {ids("mat")[0]}, 13, links);
    }

    static long[] ids(String... tokens) {
        long[] out = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = lm.tokenizer().tokenToId(tokens[i]);
        }
        return out;
    }

    @Test
    void injectTwoIsMlmPlusWeightTimesTriplet() {
        KnowledgeVectors v = vectors("animal", "thing", "animal", "thing");
        NegativeSampler s = new NegativeSampler(v, "test");
        MlmBatch b = batch();
        try (NDManager m = Engines.newManager()) {
            float joint = new ZeoObjective(2, 0.3f, 2, v, s).loss(lm.model(), m, b, false).getFloat();
            float mlm = Trainer.mlmLoss(lm.model(), m, b, false).getFloat();
            ZeoObjective only = new ZeoObjective(1, 0.3f, 2, v, s);
            float triplet = only.loss(lm.model(), m, b, false).getFloat();
            assertTrue(triplet > 0, "random vectors are far from the anchors");
            assertEquals(mlm + 0.3f * triplet, joint, 1e-5f);
            assertEquals(mlm, new ZeoObjective(0, 0.3f, 2, null, null).loss(lm.model(), m, b, false).getFloat(), 1e-6f);
        }
    }

    @Test
    void theAnchorIsTheMeanOfTheMentionsFinalStates() {
        KnowledgeVectors v = vectors("animal", "thing", "animal", "thing");
        NegativeSampler sampler = new NegativeSampler(v, "test");
        MlmBatch full = batch();
        MlmBatch b = new MlmBatch(full.input(), full.positions(), full.labels(), full.tokens(), List.of(full.linked().get(1)));
        int h = v.hidden();
        try (NDManager m = Engines.newManager()) {
            float[] hidden = lm.model().forward(m, b.input(), false).lastHidden().toFloatArray(); // (2, 8, H)
            float[] anchor = new float[h];
            for (int t = 1; t < 3; t++) { // "a dog" in row 1
                for (int d = 0; d < h; d++) {
                    anchor[d] += hidden[(8 + t) * h + d] / 2;
                }
            }
            int neg = sampler.sample(2, 1, new Random(12))[0];
            double expected = Math.max(0, dist(anchor, v.vector(2)) - dist(anchor, v.vector(neg)) + 1);
            assertTrue(expected > 0, "the hinge is active, so the value tests the anchor");
            float got = new ZeoObjective(1, 1f, 1, v, sampler).loss(lm.model(), m, b, false).getFloat();
            assertEquals(expected, got, 1e-4);
        }
    }

    static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i] + Triplet.EPS;
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
