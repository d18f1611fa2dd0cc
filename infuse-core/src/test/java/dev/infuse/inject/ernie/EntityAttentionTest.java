package dev.infuse.inject.ernie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.model.BertInput;
import dev.infuse.model.ForwardContext;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.KillAfter;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ERNIE's self-attention over a text's entities, inside the fusion layers (--ernie-entity-heads). */
class EntityAttentionTest {
    @TempDir
    static Path tmp;
    static ErnieTest.Fixture f;

    @BeforeAll
    static void setUp() throws Exception {
        f = ErnieTest.Fixture.in(tmp);
    }

    @Test
    void theBlockIsMaskedMultiHeadAttentionWithAResidualAndLayerNormByHand() {
        int t = 3;
        int d = 4;
        int heads = 2;
        float[] e = {0.5f, -1f, 2f, 0.25f, 0, 0, 0, 0, -0.75f, 1.5f, 0.125f, -2f}; // (1, 3, 4): position 1 has no entity
        float[] on = {1, 0, 1};
        Random rng = new Random(7);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (String p : EntityAttention.PROJECTIONS) {
            w.put(p + ".weight", random(rng, d * d));
            w.put(p + ".bias", random(rng, d));
        }
        w.put("LayerNorm.weight", new float[] {1f, 0.5f, 2f, 1.5f});
        w.put("LayerNorm.bias", new float[] {0.1f, 0f, -0.2f, 0.3f});
        float[] got;
        try (NDManager s = Engines.newManager()) {
            Map<String, NDArray> p = new HashMap<>();
            w.forEach((k, v) -> p.put("x." + k, Tensors.copyOf(s, v, k.endsWith("weight") && !k.startsWith("LayerNorm") ? new Shape(d, d) : new Shape(d))));
            NDArray mask = Tensors.copyOf(s, on, new Shape(1, t, 1));
            got = EntityAttention.apply(Tensors.copyOf(s, e, new Shape(1, t, d)), mask, EntityAttention.keyBias(mask), p, "x.", heads, 1e-12f)
                    .toFloatArray();
        }
        float[] q = linear(e, w.get("query.weight"), w.get("query.bias"), t, d);
        float[] k = linear(e, w.get("key.weight"), w.get("key.bias"), t, d);
        float[] v = linear(e, w.get("value.weight"), w.get("value.bias"), t, d);
        int dh = d / heads;
        float[] context = new float[t * d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                double[] score = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    if (on[j] == 0) {
                        score[j] = Double.NEGATIVE_INFINITY; // a key with no entity is never read
                        continue;
                    }
                    for (int c = 0; c < dh; c++) {
                        score[j] += q[i * d + h * dh + c] * k[j * d + h * dh + c];
                    }
                    score[j] /= Math.sqrt(dh);
                    max = Math.max(max, score[j]);
                }
                double z = 0;
                for (int j = 0; j < t; j++) {
                    score[j] = Math.exp(score[j] - max);
                    z += score[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int c = 0; c < dh; c++) {
                        context[i * d + h * dh + c] += (float) (score[j] / z * v[j * d + h * dh + c]);
                    }
                }
            }
        }
        float[] out = linear(context, w.get("output.weight"), w.get("output.bias"), t, d);
        for (int i = 0; i < t; i++) {
            double mean = 0;
            for (int c = 0; c < d; c++) {
                out[i * d + c] += e[i * d + c];
                mean += out[i * d + c] / d;
            }
            double var = 0;
            for (int c = 0; c < d; c++) {
                var += Math.pow(out[i * d + c] - mean, 2) / d;
            }
            for (int c = 0; c < d; c++) {
                double normed = (out[i * d + c] - mean) / Math.sqrt(var + 1e-12) * w.get("LayerNorm.weight")[c] + w.get("LayerNorm.bias")[c];
                assertEquals(on[i] * normed, got[i * d + c], 1e-5, "position " + i + ", column " + c);
            }
        }
        assertTrue(Math.abs(got[0] - got[8]) > 1e-3, "the two entities differ after attending");
    }

    private static float[] random(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian() * 0.5f;
        }
        return x;
    }

    /** x W^T + b for (t, d) rows and a (d, d) weight, as torch's linear. */
    private static float[] linear(float[] x, float[] weight, float[] bias, int t, int d) {
        float[] y = new float[t * d];
        for (int i = 0; i < t; i++) {
            for (int o = 0; o < d; o++) {
                double sum = bias[o];
                for (int c = 0; c < d; c++) {
                    sum += x[i * d + c] * weight[o * d + c];
                }
                y[i * d + o] = (float) sum;
            }
        }
        return y;
    }

    /** Row 0 of {@link ErnieTest#input}: cat (position 2) aligned with table row {@code cat}, mat (position 6) with {@code mat}. */
    static BertInput twoEntities(int cat, int mat) {
        return ErnieTest.input(-1).withContext(new ForwardContext(List.of(
                Map.of(EntityAlignment.KEY, new EntityAlignment(new int[] {2, 6}, new int[] {cat, mat})), Map.of())));
    }

    /** The top layer's state at position 2 (row 0). */
    static float[] catState(float[] lastHidden, int h) {
        return java.util.Arrays.copyOfRange(lastHidden, 2 * h, 3 * h);
    }

    @Test
    void withHeadsAnEntityReadsTheOtherEntitiesOfItsTextAndWithoutItDoesNot() {
        try (MaskedLm lm = MaskedLm.load(f.model().toString())) {
            int h = lm.model().config().hiddenSize();
            for (int heads : new int[] {0, 2}) {
                // Only the top layer fuses, and its feed-forward block is per token: without attention, cat's state cannot see mat's vector.
                try (ErnieFusion fusion = ErnieFusion.create(f.vectors(), 1, heads, lm.model().config(), 5)) {
                    lm.model().addHook(fusion);
                    float[] withMat = catState(ErnieTest.forward(lm.model(), twoEntities(0, 4)), h);
                    float[] withSun = catState(ErnieTest.forward(lm.model(), twoEntities(0, 2)), h);
                    lm.model().removeHook(fusion);
                    assertEquals(heads > 0, !java.util.Arrays.equals(withMat, withSun), heads + " heads: does cat's state depend on the other entity?");
                }
            }
        }
    }

    @Test
    void withHeadsAndNoAlignmentTheModelIsStillThePlainModel() {
        try (MaskedLm lm = MaskedLm.load(f.model().toString()); ErnieFusion fusion = ErnieFusion.create(f.vectors(), 2, 2, lm.model().config(), 5)) {
            float[] plain = ErnieTest.forward(lm.model(), ErnieTest.input(-1));
            lm.model().addHook(fusion);
            assertArrayEquals(plain, ErnieTest.forward(lm.model(), ErnieTest.input(-1)), 0f);
            assertEquals(2 * (4 * 2 + 2), fusion.parameters().keySet().stream().filter(k -> k.contains("entity_attention")).count(),
                    "4 projections with biases and a LayerNorm, in each of 2 layers");
        }
    }

    @Test
    void aFusionWithHeadsSavesAndReadsBack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("saved"));
        try (MaskedLm lm = MaskedLm.load(f.model().toString()); ErnieFusion fusion = ErnieFusion.create(f.vectors(), 2, 4, lm.model().config(), 9)) {
            fusion.save(dir);
            try (ErnieFusion back = ErnieFusion.read(dir, lm.model().config())) {
                assertEquals(4, back.heads());
                assertEquals(fusion.parameters().keySet(), back.parameters().keySet());
                for (String k : fusion.parameters().keySet()) {
                    assertArrayEquals(fusion.parameters().get(k).toFloatArray(), back.parameters().get(k).toFloatArray(), 0f, k);
                }
            }
        }
    }

    @Test
    void noHeadsDrawsTheSameWeightsAsBeforeTheOptionExisted() {
        try (MaskedLm lm = MaskedLm.load(f.model().toString()); ErnieFusion none = ErnieFusion.create(f.vectors(), 2, 0, lm.model().config(), 3);
                ErnieFusion with = ErnieFusion.create(f.vectors(), 2, 2, lm.model().config(), 3)) {
            for (Map.Entry<String, NDArray> p : none.parameters().entrySet()) {
                assertArrayEquals(p.getValue().toFloatArray(), with.parameters().get(p.getKey()).toFloatArray(), 0f, p.getKey());
            }
            assertEquals(0, none.heads());
            assertFalse(new ErnieSpec(f.kge(), f.bundle(), 2).identity().containsKey("ernie-entity-heads"), "old runs still resume");
            assertEquals(2, new ErnieSpec(f.kge(), f.bundle(), 2, 2).identity().get("ernie-entity-heads"));
        }
    }

    @Test
    void mlmPlusDeaWithHeadsResumesBitIdenticallyAndLoadsBackWithThem() throws Exception {
        Path straight = tmp.resolve("straight");
        Pretraining.run(f.job(straight, false, 2), List.of(), ErnieTest.QUIET);
        Path killed = tmp.resolve("killed");
        TrainListener kill = new KillAfter(4);
        assertThrows(IllegalStateException.class, () -> Pretraining.run(f.job(killed, false, 2), List.of(kill), ErnieTest.QUIET));
        Pretraining.run(f.job(killed, true, 2), List.of(), ErnieTest.QUIET);
        for (String file : new String[] {"model.safetensors", ErnieFusion.FILE, "checkpoint/optimizer.safetensors"}) {
            assertEquals(-1L, Files.mismatch(straight.resolve(file), killed.resolve(file)), file + " after kill and resume");
        }
        InfuseException other = assertThrows(InfuseException.class, () -> Pretraining.run(f.job(killed, true, 4), List.of(), ErnieTest.QUIET));
        assertTrue(other.getMessage().contains("ernie-entity-heads"), other.getMessage());
        try (MaskedLm lm = MaskedLm.load(straight.toString()); Knowledge k = new SavedKnowledge(ErnieKnowledge.NAME, straight).open(lm, 16, 1);
                ErnieFusion fresh = ErnieFusion.create(f.vectors(), 2, 2, lm.model().config(), 11 * 31)) {
            assertEquals(2, k.identity().get("ernie-entity-heads"));
            String query = ErnieFusion.name(0, "entity_attention.query.weight"); // the tiny model's 2 layers both fuse
            var saved = dev.infuse.model.io.Safetensors.read(straight.resolve(ErnieFusion.FILE)).get(query);
            float[] trained = new float[saved.data().remaining()];
            saved.data().duplicate().get(trained);
            assertFalse(java.util.Arrays.equals(fresh.parameters().get(query).toFloatArray(), trained), "the entity attention trained");
        }
    }

    @Test
    void headsThatDoNotDivideTheVectorsAreOneLine() {
        try (MaskedLm lm = MaskedLm.load(f.model().toString())) {
            InfuseException e = assertThrows(InfuseException.class, () -> ErnieFusion.create(f.vectors(), 1, 3, lm.model().config(), 1));
            assertEquals("--ernie-entity-heads 3 must be 0 (none) or divide the KG vectors' 8 dimensions", e.getMessage());
        }
        assertEquals("--ernie-entity-heads 3 must be 0 (none) or divide the KG vectors' 8 dimensions",
                assertThrows(InfuseException.class, () -> new ErnieSpec(f.kge(), f.bundle(), 2, 3).identity()).getMessage(), "refused before the run starts");
        assertEquals("--ernie-entity-heads must be 0 (none) or more, found -1",
                assertThrows(InfuseException.class, () -> new ErnieSpec(f.kge(), f.bundle(), 2, -1)).getMessage());
    }
}
