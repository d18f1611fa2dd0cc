package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Padded batches of rows with positions, visibility and segments must compute what each row computes alone. */
class BatchesTest {
    static final int VOCAB = 50;
    static final int H = 32;
    static final int PAD = 0;
    static BertModel model;
    static NDManager m;

    @BeforeAll
    static void setUp() {
        model = BertModel.random(BertConfig.tiny(VOCAB), 11);
        m = Engines.newManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
        model.close();
    }

    /**
     * A K-BERT-like sentence tree: "[CLS] cook visits beijing [SEP]" with the branch "is capital" hung on
     * "beijing" (index 3) and placed at the end. Branch tokens take soft positions after their anchor, so
     * positions repeat; the sentence does not see the branch, the branch sees its anchor and itself.
     */
    static InputRow tree() {
        long[] ids = {1, 5, 6, 7, 2, 8, 9};
        long[] pos = {0, 1, 2, 3, 4, 4, 5};
        int n = ids.length;
        boolean[][] vis = new boolean[n][n];
        for (int i = 0; i < 5; i++) {
            Arrays.fill(vis[i], 0, 5, true);
        }
        for (int i : new int[] {5, 6}) {
            vis[i][3] = true;
            vis[i][5] = true;
            vis[i][6] = true;
        }
        return new InputRow(ids, Map.of(), pos, vis, null);
    }

    static float[] alone(BertModel model, InputRow r) {
        BertInput.Builder b = BertInput.builder().setInputIds(new long[][] {r.ids()});
        if (r.positions() != null) {
            b.optPositionIds(new long[][] {r.positions()});
        }
        if (r.visibility() != null) {
            b.optVisibility(new boolean[][][] {r.visibility()});
        }
        if (r.typeIds() != null) {
            b.optTokenTypeIds(new long[][] {r.typeIds()});
        }
        for (Map.Entry<Integer, float[]> o : r.overrides().entrySet()) {
            b.optEmbedding(0, o.getKey(), o.getValue());
        }
        try (NDManager s = m.newSubManager()) {
            return model.forward(s, b.build(), false).lastHidden().toFloatArray();
        }
    }

    static float[] batched(BertModel model, BertInput in) {
        try (NDManager s = m.newSubManager()) {
            return model.forward(s, in, false).lastHidden().toFloatArray();
        }
    }

    /** Every real token of every row matches the row run alone within 1e-5. */
    static void assertRowsMatch(BertModel model, List<InputRow> rows, BertInput in) {
        float[] batch = batched(model, in);
        int t = in.length();
        for (int b = 0; b < rows.size(); b++) {
            float[] single = alone(model, rows.get(b));
            for (int j = 0; j < rows.get(b).length(); j++) {
                for (int d = 0; d < H; d++) {
                    assertEquals(single[j * H + d], batch[(b * t + j) * H + d], 1e-5, "row " + b + " token " + j + " dim " + d);
                }
            }
        }
    }

    @Test
    void rowsOfDifferentLengthsWithPositionsAndVisibilityMatchEachRowAlone() {
        InputRow kbert = tree();
        InputRow plain = new InputRow(new long[] {1, 10, 11, 2}, Map.of());
        InputRow softOnly = new InputRow(new long[] {1, 12, 13, 14, 2}, Map.of()).withPositions(new long[] {0, 1, 1, 2, 3});
        boolean[][] diag = new boolean[3][3];
        for (int i = 0; i < 3; i++) {
            diag[i][i] = true;
            diag[i][0] = true;
        }
        float[] slot = model.wordEmbeddings().get(7).toFloatArray();
        InputRow typed = new InputRow(new long[] {1, 15, 2}, Map.of(1, slot)).withVisibility(diag).withTypeIds(new long[] {0, 1, 1});
        List<InputRow> rows = List.of(plain, kbert, softOnly, typed);

        BertInput in = Batches.padded(rows, PAD);
        assertEquals(7, in.length());
        assertNull(in.paddingMask(), "a visibility batch carries no [B,T] mask");
        assertNotNull(in.visibility());
        assertArrayEquals(new long[] {0, 1, 2, 3, 0, 0, 0}, in.positionIds()[0], "a row without positions gets 0..n-1, padding 0");
        assertArrayEquals(new long[] {0, 1, 1, 2, 3, 0, 0}, in.positionIds()[2]);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0}, in.tokenTypeIds()[0]);
        assertArrayEquals(new long[] {0, 1, 1, 0, 0, 0, 0}, in.tokenTypeIds()[3]);
        for (int q = 0; q < 4; q++) {
            assertArrayEquals(new boolean[] {true, true, true, true, false, false, false}, in.visibility()[0][q],
                    "a row without visibility sees its real tokens only");
        }
        assertRowsMatch(model, rows, in);

        // The real tokens' values must not depend on the order or company of the other rows either.
        assertRowsMatch(model, List.of(typed, softOnly, kbert), Batches.padded(List.of(typed, softOnly, kbert), PAD));
    }

    @Test
    void aBatchWithoutVisibilityStillUsesThePaddingMask() {
        List<InputRow> rows = List.of(new InputRow(new long[] {1, 10, 2}, Map.of()), tree().withVisibility(null));
        BertInput in = Batches.padded(rows, PAD);
        assertNull(in.visibility());
        assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0}, in.paddingMask()[0]);
        assertRowsMatch(model, rows, in);
    }

    @Test
    void paddingSeesTheSameUnderAVisibilityMatrixAsUnderAPaddingMask() {
        InputRow a = new InputRow(new long[] {1, 10, 11, 12, 2}, Map.of());
        InputRow b = new InputRow(new long[] {1, 13, 2}, Map.of());
        boolean[][] all = new boolean[3][3];
        for (boolean[] r : all) {
            Arrays.fill(r, true);
        }
        float[] masked = batched(model, Batches.padded(List.of(a, b), PAD));
        float[] visible = batched(model, Batches.padded(List.of(a, b.withVisibility(all)), PAD));
        assertArrayEquals(masked, visible, 1e-5f, "padding positions included");
    }

    @Test
    void robertaRowsWithoutPositionsAreNumberedAfterThePaddingId() {
        BertConfig c = new BertConfig("roberta", VOCAB, H, 2, 4, 64, "gelu", 0.1f, 0.1f, 66, 1, 1e-5f, 1, 0.02f);
        try (BertModel r = BertModel.random(c, 5)) {
            InputRow plain = new InputRow(new long[] {0, 10, 11, 12, 2}, Map.of());
            InputRow soft = new InputRow(new long[] {0, 13, 14, 2}, Map.of()).withPositions(new long[] {2, 3, 3, 4});
            List<InputRow> rows = List.of(plain, soft);
            BertInput in = Batches.padded(rows, c.padTokenId(), c);
            assertArrayEquals(new long[] {2, 3, 4, 5, 6}, in.positionIds()[0]);
            assertRowsMatch(r, rows, in);
            // BERT numbering for the same rows would put the plain row somewhere else: the config matters.
            float[] bertNumbered = batched(r, Batches.padded(rows, c.padTokenId()));
            float[] single = alone(r, plain);
            assertTrue(BertModelTest.maxDiff(single, Arrays.copyOf(bertNumbered, single.length)) > 1e-3);
        }
    }

    @Test
    void aTokenOutsideAPositionsViewNeverReachesItInAnyLayer() {
        InputRow base = tree();
        long[] changed = base.ids().clone();
        changed[6] = 30; // a branch token: the sentence (0..4) cannot see it, its branch mate 5 can
        InputRow other = new InputRow(changed, Map.of(), base.positions(), base.visibility(), null);
        List<float[]> before = layers(base);
        List<float[]> after = layers(other);
        assertEquals(3, before.size(), "embeddings plus two layers");
        for (int l = 0; l < before.size(); l++) {
            for (int j = 0; j < 5; j++) {
                for (int d = 0; d < H; d++) {
                    assertEquals(before.get(l)[j * H + d], after.get(l)[j * H + d], 0f, "layer " + l + " token " + j + " dim " + d);
                }
            }
        }
        // The change does arrive where it is visible: at its branch mate, from the first layer on.
        float[] mateBefore = Arrays.copyOfRange(before.get(1), 5 * H, 6 * H);
        float[] mateAfter = Arrays.copyOfRange(after.get(1), 5 * H, 6 * H);
        assertTrue(BertModelTest.maxDiff(mateBefore, mateAfter) > 1e-3);

        // Without the matrix the same change reaches the sentence: the invariance above is the matrix's doing.
        float[] openBefore = alone(model, base.withVisibility(null));
        float[] openAfter = alone(model, other.withVisibility(null));
        assertTrue(BertModelTest.maxDiff(Arrays.copyOf(openBefore, 5 * H), Arrays.copyOf(openAfter, 5 * H)) > 1e-3);
    }

    private static List<float[]> layers(InputRow r) {
        BertInput in = BertInput.builder().setInputIds(new long[][] {r.ids()}).optPositionIds(new long[][] {r.positions()})
                .optVisibility(new boolean[][][] {r.visibility()}).optAllHiddenStates(true).build();
        try (NDManager s = m.newSubManager()) {
            return model.forward(s, in, false).hiddenStates().stream().map(a -> a.toFloatArray()).toList();
        }
    }

    @Test
    void badRowShapesNameTheFieldWithFoundAndExpected() {
        long[] ids = {1, 5, 2};
        InfuseException e = assertThrows(InfuseException.class, () -> new InputRow(ids, Map.of(), new long[] {0, 1}, null, null));
        assertEquals("input row positions has 2 entries, expected 3 (one per token)", e.getMessage());
        e = assertThrows(InfuseException.class, () -> new InputRow(ids, Map.of(), null, new boolean[2][2], null));
        assertEquals("input row visibility has 2 rows, expected 3x3 for 3 tokens", e.getMessage());
        e = assertThrows(InfuseException.class, () -> new InputRow(ids, Map.of(), null, new boolean[][] {{true, true, true}, {true}, {true, true, true}}, null));
        assertEquals("input row visibility row 1 has 1 columns, expected 3x3 for 3 tokens", e.getMessage());
        e = assertThrows(InfuseException.class, () -> new InputRow(ids, Map.of(), null, null, new long[4]));
        assertEquals("input row type ids has 4 entries, expected 3 (one per token)", e.getMessage());
        boolean[][] blind = {{true, true, true}, {false, false, false}, {true, true, true}};
        e = assertThrows(InfuseException.class, () -> new InputRow(ids, Map.of()).withVisibility(blind));
        assertEquals("input row visibility row 1 sees no token, expected at least one", e.getMessage());
    }

    @Test
    void rowsCopyTheirArrays() {
        long[] pos = {0, 1, 2};
        InputRow r = new InputRow(new long[] {1, 5, 2}, Map.of()).withPositions(pos);
        pos[1] = 9;
        assertArrayEquals(new long[] {0, 1, 2}, r.positions());
    }
}
