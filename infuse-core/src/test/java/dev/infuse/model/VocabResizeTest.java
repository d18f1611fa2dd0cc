package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabResizeTest {
    static final int V = 50;
    static final int H = 32;

    static float[] logits(BertModel model, long[] ids) {
        try (NDManager m = Engines.newManager()) {
            BertInput in = BertInput.builder().setInputIds(new long[][] {ids}).build();
            return model.mlmLogits(model.mlmTransform(model.forward(m, in, false).lastHidden())).toFloatArray();
        }
    }

    static float[] hidden(BertModel model, long[] ids) {
        try (NDManager m = Engines.newManager()) {
            return model.forward(m, BertInput.builder().setInputIds(new long[][] {ids}).build(), false).lastHidden().toFloatArray();
        }
    }

    @Test
    void growingKeepsEveryOldValueAndAddsRowsNearTheMean() {
        try (BertModel a = BertModel.random(BertConfig.tiny(V), 3); BertModel b = VocabResize.resize(a, V + 3, 42)) {
            assertEquals(V + 3, b.config().vocabSize());
            assertEquals(a.config().withVocabSize(V + 3), b.config());
            float[] oldWords = a.wordEmbeddings().toFloatArray();
            float[] newWords = b.wordEmbeddings().toFloatArray();
            assertArrayEquals(new long[] {V + 3, H}, b.wordEmbeddings().getShape().getShape());
            assertArrayEquals(oldWords, Arrays.copyOf(newWords, V * H), "old rows bit-identical");
            float[] oldBias = a.parameter("cls.predictions.bias").toFloatArray();
            float[] newBias = b.parameter("cls.predictions.bias").toFloatArray();
            assertArrayEquals(oldBias, Arrays.copyOf(newBias, V), "old bias bit-identical");
            assertArrayEquals(new float[3], Arrays.copyOfRange(newBias, V, V + 3), "new bias entries are 0");
            for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
                if (!e.getKey().equals("bert.embeddings.word_embeddings.weight") && !e.getKey().equals("cls.predictions.bias")) {
                    assertArrayEquals(e.getValue().toFloatArray(), b.parameter(e.getKey()).toFloatArray(), e.getKey());
                }
            }

            double[] mean = new double[H];
            for (int r = 0; r < V; r++) {
                for (int d = 0; d < H; d++) {
                    mean[d] += oldWords[r * H + d] / V;
                }
            }
            double spread = 0;
            for (int k = 0; k < 3; k++) {
                for (int d = 0; d < H; d++) {
                    double off = newWords[(V + k) * H + d] - mean[d];
                    assertTrue(Math.abs(off) < 1e-5, "row " + (V + k) + " dim " + d + " is " + off + " from the mean");
                    spread = Math.max(spread, Math.abs(off));
                }
            }
            assertTrue(spread > 0, "new rows are drawn around the mean, not set to it");
            float[] r0 = Arrays.copyOfRange(newWords, V * H, (V + 1) * H);
            float[] r1 = Arrays.copyOfRange(newWords, (V + 1) * H, (V + 2) * H);
            assertTrue(!Arrays.equals(r0, r1), "two new tokens start apart");

            long[] ids = {1, 5, 6, 7, 2};
            assertArrayEquals(hidden(a, ids), hidden(b, ids), "old ids give identical hidden states");
            float[] before = logits(a, ids);
            float[] after = logits(b, ids);
            // Same weights, but the decoder matmul is wider now and the BLAS kernel may sum in another order:
            // the old columns agree to the last bit or two, not bit for bit.
            for (int t = 0; t < ids.length; t++) {
                assertArrayEquals(Arrays.copyOfRange(before, t * V, (t + 1) * V),
                        Arrays.copyOfRange(after, t * (V + 3), t * (V + 3) + V), 1e-6f, "old vocabulary logits at token " + t);
            }
            // The new token can be fed: its id is inside the vocabulary now.
            assertEquals(5 * H, hidden(b, new long[] {1, V, V + 1, V + 2, 2}).length);
        }
    }

    @Test
    void theSameSeedDrawsTheSameRows() {
        try (BertModel a = BertModel.random(BertConfig.tiny(V), 3);
                BertModel b = VocabResize.resize(a, V + 2, 9);
                BertModel c = VocabResize.resize(a, V + 2, 9);
                BertModel d = VocabResize.resize(a, V + 2, 10)) {
            assertArrayEquals(b.wordEmbeddings().toFloatArray(), c.wordEmbeddings().toFloatArray());
            assertNotEquals(Arrays.toString(b.wordEmbeddings().toFloatArray()), Arrays.toString(d.wordEmbeddings().toFloatArray()));
        }
    }

    @Test
    void shrinkingKeepsTheFirstRows() {
        try (BertModel a = BertModel.random(BertConfig.tiny(V), 3); BertModel b = VocabResize.resize(a, 40, 1)) {
            assertEquals(40, b.config().vocabSize());
            assertArrayEquals(Arrays.copyOf(a.wordEmbeddings().toFloatArray(), 40 * H), b.wordEmbeddings().toFloatArray());
            assertArrayEquals(Arrays.copyOf(a.parameter("cls.predictions.bias").toFloatArray(), 40),
                    b.parameter("cls.predictions.bias").toFloatArray());
            InfuseException e = assertThrows(InfuseException.class, () -> hidden(b, new long[] {1, 45, 2}));
            assertEquals("token id 45 at [0,1] is outside the vocabulary (40)", e.getMessage());
        }
        assertThrows(InfuseException.class, () -> {
            try (BertModel a = BertModel.random(BertConfig.tiny(V), 3)) {
                VocabResize.resize(a, 0, 1).close();
            }
        });
    }

    @Test
    void robertaHeadBiasIsResizedToo() {
        BertConfig c = new BertConfig("roberta", V, H, 2, 4, 64, "gelu", 0.1f, 0.1f, 66, 1, 1e-5f, 1, 0.02f);
        try (BertModel a = BertModel.random(c, 2); BertModel b = VocabResize.resize(a, V + 1, 1)) {
            assertArrayEquals(new long[] {V + 1}, b.parameter("lm_head.bias").getShape().getShape());
            assertEquals(0f, b.parameter("lm_head.bias").toFloatArray()[V]);
        }
    }

    @Test
    void aResizedModelSavesAndReloadsWithItsNewSize(@TempDir Path dir) throws IOException {
        try (BertModel a = BertModel.random(BertConfig.tiny(V), 3); BertModel b = VocabResize.resize(a, V + 4, 5)) {
            Checkpoints.writeHuggingFace(b, dir);
            assertEquals(V + 4, JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject()
                    .get("vocab_size").getAsInt());
            try (BertModel c = Checkpoints.readHuggingFace(dir)) {
                assertEquals(V + 4, c.config().vocabSize());
                assertArrayEquals(b.wordEmbeddings().toFloatArray(), c.wordEmbeddings().toFloatArray());
                long[] ids = {1, V + 2, 6, 2};
                assertArrayEquals(logits(b, ids), logits(c, ids));
            }
        }
    }
}
