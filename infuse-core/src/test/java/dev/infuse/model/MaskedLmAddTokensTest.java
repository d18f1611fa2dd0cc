package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import dev.infuse.engine.Engines;
import dev.infuse.io.Provenance;
import dev.infuse.text.HfTokenizer;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Growing a model and its tokenizer together, then saving and loading the pair. */
class MaskedLmAddTokensTest {
    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "link", "eth", "##ern",
            "##et", "is", "up", ".", "[", "]", "ent");
    static final int V = VOCAB.size();

    static float[] hidden(BertModel model, long[] ids) {
        try (NDManager m = Engines.newManager()) {
            return model.forward(m, BertInput.builder().setInputIds(new long[][] {ids}).build(), false).lastHidden().toFloatArray();
        }
    }

    static MaskedLm tiny() {
        return new MaskedLm(BertModel.random(BertConfig.tiny(V), 4), new WordPieceTokenizer(VOCAB, true, true, "test"), "tiny");
    }

    @Test
    void addTokensGrowsModelAndTokenizerAndTheDirectoryReloadsTheSame(@TempDir Path dir) throws IOException {
        try (MaskedLm lm = tiny(); MaskedLm grown = lm.addTokens(List.of("Ethernet", "[ENT]", "link", "ethernet"), 3)) {
            assertEquals(V, lm.model().config().vocabSize(), "the original is unchanged");
            assertEquals(V + 2, grown.tokenizer().vocabSize(), "\"link\" is known and \"ethernet\" repeats \"Ethernet\"");
            assertEquals(V + 2, grown.model().config().vocabSize());
            assertArrayEquals(new int[] {2, 5, V, 6, 10, 11, 12, 3}, grown.tokenizer().encode("The Ethernet link is up.").ids());
            assertArrayEquals(Arrays.copyOf(lm.model().wordEmbeddings().toFloatArray(), V * 32),
                    Arrays.copyOf(grown.model().wordEmbeddings().toFloatArray(), V * 32));
            long[] old = {2, 5, 6, 10, 11, 3};
            assertArrayEquals(hidden(lm.model(), old), hidden(grown.model(), old));

            grown.save(dir, Provenance.of("model"));
            assertEquals(V + 2, JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject()
                    .get("vocab_size").getAsInt());
            assertEquals(List.of("ethernet", "[ent]"), Files.readAllLines(dir.resolve("vocab.txt")).subList(V, V + 2));
            try (MaskedLm back = MaskedLm.load(dir.toString())) {
                assertTrue(back.tokenizer() instanceof HfTokenizer, "tokenizer.json is preferred");
                assertEquals(V + 2, back.model().config().vocabSize());
                assertEquals(V + 2, back.tokenizer().vocabSize());
                assertArrayEquals(new int[] {2, V, 3}, back.tokenizer().encode("ETHERNET").ids());
                assertArrayEquals(new int[] {2, V + 1, 15, 3}, back.tokenizer().encode("[ENT]ent").ids());
                assertEquals(grown.fingerprint(), back.fingerprint());
                long[] fresh = {2, V, 6, V + 1, 3};
                assertArrayEquals(hidden(grown.model(), fresh), hidden(back.model(), fresh));

                // A reloaded pair grows again from where it stood.
                try (MaskedLm again = back.addTokens(List.of("uplink"), 1)) {
                    assertEquals(V + 3, again.model().config().vocabSize());
                    assertArrayEquals(new int[] {2, V + 2, 3}, again.tokenizer().encode("uplink").ids());
                }
            }
        }
    }

    @Test
    void sparePaddedRowsAreUsedBeforeTheModelGrows() {
        try (MaskedLm lm = new MaskedLm(BertModel.random(BertConfig.tiny(V + 4), 4), new WordPieceTokenizer(VOCAB, true, true, "t"), "t");
                MaskedLm grown = lm.addTokens(List.of("ethernet"))) {
            assertEquals(V + 4, grown.model().config().vocabSize(), "the new id fits in the padded rows");
            assertArrayEquals(lm.model().wordEmbeddings().toFloatArray(), grown.model().wordEmbeddings().toFloatArray());
            assertEquals(V, grown.tokenizer().tokenToId("ethernet"));
        }
    }
}
