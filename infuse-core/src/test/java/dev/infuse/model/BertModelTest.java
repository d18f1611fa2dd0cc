package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forward pass on a tiny random model: every typed input must mean what it says. */
class BertModelTest {
    static final int VOCAB = 50;
    static BertModel model;
    static NDManager m;

    @BeforeAll
    static void setUp() {
        model = BertModel.random(BertConfig.tiny(VOCAB), 7);
        m = Engines.newManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
        model.close();
    }

    static float[] hidden(BertInput in) {
        try (NDManager s = m.newSubManager()) {
            return model.forward(s, in, false).lastHidden().toFloatArray();
        }
    }

    @Test
    void forwardGivesOneHiddenVectorPerToken() {
        try (NDManager s = m.newSubManager()) {
            BertOutput out = model.forward(s, BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2}, {1, 7, 8, 2}})
                    .optAllHiddenStates(true).build(), false);
            assertArrayEquals(new long[] {2, 4, 32}, out.lastHidden().getShape().getShape());
            assertEquals(3, out.hiddenStates().size(), "embeddings plus two layers");
            assertArrayEquals(out.lastHidden().toFloatArray(), out.hiddenStates().get(2).toFloatArray());
        }
    }

    @Test
    void paddingDoesNotChangeRealTokens() {
        float[] plain = hidden(BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2}}).build());
        float[] padded = hidden(BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2, 0, 0}})
                .optPaddingMask(new int[][] {{1, 1, 1, 1, 0, 0}}).build());
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], padded[i], 1e-5, "value " + i);
        }
    }

    @Test
    void fullVisibilityEqualsNoMaskAndBlockedVisibilityChangesOutput() {
        long[][] ids = {{1, 5, 6, 2}};
        boolean[][][] all = new boolean[1][4][4];
        for (boolean[] row : all[0]) {
            java.util.Arrays.fill(row, true);
        }
        float[] plain = hidden(BertInput.builder().setInputIds(ids).build());
        assertArrayEquals(plain, hidden(BertInput.builder().setInputIds(ids).optVisibility(all).build()), 1e-6f);
        // Token 1 sees only itself: its output must differ, and equal a sequence holding token 1 alone at position 1.
        boolean[][][] blocked = new boolean[1][4][4];
        for (int r = 0; r < 4; r++) {
            java.util.Arrays.fill(blocked[0][r], r != 1);
            blocked[0][r][1] = r == 1 || r != 1;
        }
        blocked[0][1] = new boolean[] {false, true, false, false};
        float[] seen = hidden(BertInput.builder().setInputIds(ids).optVisibility(blocked).build());
        float[] alone = hidden(BertInput.builder().setInputIds(new long[][] {{5}}).optPositionIds(new long[][] {{1}}).build());
        for (int d = 0; d < 32; d++) {
            assertEquals(alone[d], seen[32 + d], 1e-5, "dim " + d);
        }
    }

    @Test
    void explicitDefaultPositionsMatchImplicitOnesAndOthersDiffer() {
        long[][] ids = {{1, 5, 6, 2}};
        float[] plain = hidden(BertInput.builder().setInputIds(ids).build());
        assertArrayEquals(plain, hidden(BertInput.builder().setInputIds(ids).optPositionIds(new long[][] {{0, 1, 2, 3}}).build()));
        float[] shifted = hidden(BertInput.builder().setInputIds(ids).optPositionIds(new long[][] {{0, 1, 1, 2}}).build());
        assertTrue(maxDiff(plain, shifted) > 1e-3);
    }

    @Test
    void embeddingOverrideReplacesTheWordEmbeddingAtItsPosition() {
        float[] row6 = model.wordEmbeddings().get(new NDIndex(6)).toFloatArray();
        float[] withSix = hidden(BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2}}).build());
        float[] overridden = hidden(BertInput.builder().setInputIds(new long[][] {{1, 5, 9, 2}}).optEmbedding(0, 2, row6).build());
        assertArrayEquals(withSix, overridden, 1e-6f);
    }

    @Test
    void robertaNumbersPositionsAfterThePaddingId() {
        BertConfig c = new BertConfig("roberta", VOCAB, 32, 2, 4, 64, "gelu", 0.1f, 0.1f, 66, 1, 1e-5f, 1, 0.02f);
        try (BertModel r = BertModel.random(c, 3); NDManager s = m.newSubManager()) {
            long[][] ids = {{0, 5, 6, 2}};
            float[] implicit = r.forward(s, BertInput.builder().setInputIds(ids).build(), false).lastHidden().toFloatArray();
            float[] explicit = r.forward(s, BertInput.builder().setInputIds(ids).optPositionIds(new long[][] {{2, 3, 4, 5}}).build(),
                    false).lastHidden().toFloatArray();
            assertArrayEquals(explicit, implicit);
            assertEquals(64, c.maxSequenceLength());
        }
    }

    @Test
    void mlmHeadGivesVocabularyLogits() {
        try (NDManager s = m.newSubManager()) {
            NDArray h = model.forward(s, BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2}}).build(), false).lastHidden();
            NDArray logits = model.mlmLogits(model.mlmTransform(h));
            assertArrayEquals(new long[] {1, 4, VOCAB}, logits.getShape().getShape());
        }
    }

    @Test
    void badInputsAreClearErrors() {
        InfuseException e = assertThrows(InfuseException.class,
                () -> hidden(BertInput.builder().setInputIds(new long[][] {{1, 500}}).build()));
        assertEquals("token id 500 at [0,1] is outside the vocabulary (50)", e.getMessage());
        e = assertThrows(InfuseException.class, () -> BertInput.builder().setInputIds(new long[][] {{1, 2}, {1}}).build());
        assertTrue(e.getMessage().contains("expected 2"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> hidden(BertInput.builder().setInputIds(new long[][] {new long[65]}).build()));
        assertTrue(e.getMessage().contains("longer than the model's 64 positions"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> BertInput.builder().setInputIds(new long[][] {{}}).build());
        assertTrue(e.getMessage().contains("at least one token"));
    }

    @Test
    void hiddenSizeNotDivisibleByHeadsIsAClearError() {
        InfuseException e = assertThrows(InfuseException.class,
                () -> new BertConfig("bert", 10, 770, 1, 12, 8, "gelu", 0f, 0f, 8, 2, 1e-12f, 0, 0.02f));
        assertEquals("The hidden size (770) is not a multiple of the number of attention heads (12)", e.getMessage());
    }

    static float maxDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
