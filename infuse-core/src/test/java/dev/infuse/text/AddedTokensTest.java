package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole tokens added on top of a word-piece vocabulary: matched first, saved, and read back the same way. */
class AddedTokensTest {
    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "fast", "eth", "##ern",
            "##et", "net", "##work", "wi", "fi", "-", ",", "!", "[", "]", "ent", "s", "##s", "a", "router", "cafe");
    static final int BASE = VOCAB.size();
    static final List<String> TEXTS = List.of(
            "Fast Ethernet, [ENT] wi-fi!",
            "fastethernet ethernets ETHERNET",
            "the [ENT]router[ENT] [ent] [MASK] ethernet-wi-fi",
            "  Éthernet\tcafé wi - fi [ENT",
            "");

    static WordPieceTokenizer base() {
        return new WordPieceTokenizer(VOCAB, true, true, "test vocabulary");
    }

    static WordPieceTokenizer grown() {
        return base().withAddedTokens(List.of("Ethernet", "[ENT]", "ethernet", "the", "wi-fi"));
    }

    @Test
    void newTokensGetTheNextIdsAndKnownOnesAreSkipped() {
        WordPieceTokenizer before = base();
        WordPieceTokenizer t = before.withAddedTokens(List.of("Ethernet", "[ENT]", "ethernet", "the", "wi-fi"));
        assertEquals(BASE, before.vocabSize(), "the receiver is unchanged");
        assertEquals(BASE + 3, t.vocabSize(), "\"ethernet\" repeats \"Ethernet\" once normalised and \"the\" is known");
        assertEquals(BASE, t.tokenToId("ethernet"));
        assertEquals(BASE + 1, t.tokenToId("[ent]"));
        assertEquals(BASE + 2, t.tokenToId("wi-fi"));
        assertEquals(5, t.tokenToId("the"));
        assertEquals(List.of("ethernet", "[ent]", "wi-fi"), t.addedTokens());
        assertEquals(t.vocabSize(), t.withAddedTokens(List.of("ETHERNET", "the", "[MASK]")).vocabSize(),
                "known tokens, specials included, are skipped");
        assertFalse(t.isSpecial(BASE));
    }

    @Test
    void addedTokensAreMatchedWholeBeforeWordPieces() {
        WordPieceTokenizer t = grown();
        String text = "Fast Ethernet, [ENT] wi-fi!";
        Encoding plain = base().encode(text);
        Encoding e = t.encode(text);
        assertArrayEquals(new int[] {2, 6, 7, 8, 9, 15, 17, 19, 18, 12, 14, 13, 16, 3}, plain.ids());
        assertArrayEquals(new int[] {2, 6, BASE, 15, BASE + 1, BASE + 2, 16, 3}, e.ids());
        assertEquals("Ethernet", text.substring(e.starts()[2], e.ends()[2]));
        assertEquals("[ENT]", text.substring(e.starts()[4], e.ends()[4]));
        assertEquals("wi-fi", text.substring(e.starts()[5], e.ends()[5]));
        assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, 5, -1}, e.wordIds());
        // Inside a longer word too, as Hugging Face's added tokens (single_word false): the rest is its own word.
        Encoding inside = t.encode("fastethernets");
        assertArrayEquals(new int[] {2, 6, BASE, 20, 3}, inside.ids());
        assertArrayEquals(new int[] {-1, 0, 1, 2, -1}, inside.wordIds());
    }

    @Test
    void javaAndHuggingFaceTokenizersAgreeOnSavedAddedTokens(@TempDir Path dir) throws IOException {
        WordPieceTokenizer t = grown();
        t.save(dir);
        List<String> lines = Files.readAllLines(dir.resolve("vocab.txt"));
        assertEquals(BASE + 3, lines.size());
        assertEquals(List.of("ethernet", "[ent]", "wi-fi"), lines.subList(BASE, BASE + 3));
        JsonObject added = JsonParser.parseString(Files.readString(dir.resolve("added_tokens.json"))).getAsJsonObject();
        assertEquals(BASE + 1, added.get("[ent]").getAsInt());
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("tokenizer.json"))).getAsJsonObject();
        assertEquals(5 + 3, json.getAsJsonArray("added_tokens").size());
        assertFalse(json.getAsJsonObject("model").getAsJsonObject("vocab").has("ethernet"), "added tokens live outside the WordPiece vocabulary");

        try (Tokenizer hf = Tokenizers.load(dir)) {
            assertTrue(hf instanceof HfTokenizer);
            WordPieceTokenizer fromTxt = WordPieceTokenizer.load(dir.resolve("vocab.txt"));
            assertEquals(t.vocabSize(), hf.vocabSize());
            for (String text : TEXTS) {
                assertEquals(t.encode(text), hf.encode(text), "DJL's Hugging Face tokenizer on: " + text);
                assertEquals(t.encode(text), fromTxt.encode(text), "vocab.txt with added_tokens.json on: " + text);
            }
        }
    }

    @Test
    void aReloadedTokenizerCanGrowAgainAndSavesEveryAddedToken(@TempDir Path dir) throws IOException {
        grown().save(dir.resolve("a"));
        try (HfTokenizer hf = HfTokenizer.load(dir.resolve("a")); HfTokenizer more = hf.withAddedTokens(List.of("cafe", "gateway", "gateway"))) {
            assertEquals(BASE + 3, hf.vocabSize());
            assertEquals(BASE + 4, more.vocabSize(), "cafe is known, gateway is new once");
            assertEquals(BASE + 3, more.tokenToId("gateway"));
            assertArrayEquals(new int[] {2, BASE + 3, 24, 3}, more.encode("Gatewaycafe").ids());
            more.save(dir.resolve("b"));
        }
        List<String> lines = Files.readAllLines(dir.resolve("b").resolve("vocab.txt"));
        assertEquals(List.of("ethernet", "[ent]", "wi-fi", "gateway"), lines.subList(BASE, lines.size()));
        WordPieceTokenizer fromTxt = WordPieceTokenizer.load(dir.resolve("b").resolve("vocab.txt"));
        assertEquals(List.of("ethernet", "[ent]", "wi-fi", "gateway"), fromTxt.addedTokens());
        try (Tokenizer hf = Tokenizers.load(dir.resolve("b"))) {
            for (String text : List.of("a gateway to Ethernet", "wi-figateway")) {
                assertEquals(fromTxt.encode(text), hf.encode(text), text);
            }
        }
    }

    @Test
    void pythonStyleAddedTokensAfterVocabTxtAreRead(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), VOCAB);
        Files.writeString(dir.resolve("added_tokens.json"), "{\"ethernet\": " + BASE + "}");
        WordPieceTokenizer t = WordPieceTokenizer.load(dir.resolve("vocab.txt"));
        assertEquals(BASE + 1, t.vocabSize());
        assertArrayEquals(new int[] {2, BASE, 3}, t.encode("Ethernet").ids());
        Files.writeString(dir.resolve("added_tokens.json"), "{\"ethernet\": " + (BASE + 2) + "}");
        InfuseException e = assertThrows(InfuseException.class, () -> WordPieceTokenizer.load(dir.resolve("vocab.txt")));
        assertTrue(e.getMessage().contains("id " + (BASE + 2) + ", expected " + BASE), e.getMessage());
    }

    @Test
    void tokensThatCannotMatchAreRefused() {
        InfuseException e = assertThrows(InfuseException.class, () -> base().withAddedTokens(List.of("domain word")));
        assertTrue(e.getMessage().contains("whitespace"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> base().withAddedTokens(List.of("中国")));
        assertTrue(e.getMessage().contains("CJK"), e.getMessage());
        assertThrows(InfuseException.class, () -> base().withAddedTokens(List.of("\u0000")));
    }
}
