package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's HuggingFace tokenizer on a tokenizer.json we wrote must agree with {@link WordPieceTokenizer}. */
class HfTokenizerTest {
    @TempDir
    static Path dir;

    static WordPieceTokenizer java;
    static HfTokenizer hf;

    static final List<String> TEXTS = List.of(
            "The capital of France is [MASK].",
            "Café owners in Zürich sell [MASK] every morning. Ångström, naïve, façade, ÉCOLE",
            "中文字符 and 日本語のテキスト mixed",
            "👍 then more text after the emoji, and 🇫🇷 flags 👍🏽 too",
            "x" + "a".repeat(300) + " after a 300-char word",
            "",
            "control\u0000chars\u0001here\u0007 and\u200bzero width\uFFFD replacement",
            "mixed!!punctuation...(like) «this» — “quotes” & $money; a/b\\c ¿qué?",
            "many   spaces\t\ttabs\n\nnewlines\r\n  and\u00a0nbsp\u3000ideographic",
            "inside[MASK]text and [MASK][MASK] twice, [mask] lower, [MASK",
            "Ελληνικά κείμενα και Русский текст ЁЖИК",
            "النص العربي مع أرقام ١٢٣",
            "İstanbul DŽungla ǅ ﬁne ①",
            "한국어 문장입니다");

    @BeforeAll
    static void load() throws IOException {
        Path vocab = BertVocab.extract(dir);
        java = WordPieceTokenizer.load(vocab);
        Path model = Files.createDirectories(dir.resolve("model"));
        TokenizerJsonWriter.write(vocab, true, model);
        hf = HfTokenizer.load(model.resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        if (hf != null) {
            hf.close();
        }
    }

    @Test
    void knownIds() {
        assertArrayEquals(new int[] {101, 1996, 3007, 1997, 2605, 2003, 103, 1012, 102},
                hf.encode("The capital of France is [MASK].").ids());
        assertArrayEquals(new int[] {101, 1996, 17368, 18584, 2229, 8128, 2013, 103, 1998, 15389, 2015, 2068, 1012, 102},
                hf.encode("The CPU fetches instructions from [MASK] and executes them.").ids());
        assertEquals(30522, hf.vocabSize());
        assertEquals(103, hf.maskId());
        assertEquals("[MASK]", hf.maskToken());
        assertEquals(101, hf.clsId());
        assertEquals(102, hf.sepId());
        assertEquals(0, hf.padId());
        assertEquals("##es", hf.idToToken(2229));
        assertTrue(hf.isSpecial(100) && !hf.isSpecial(1996));
    }

    @Test
    void sameIdsOffsetsAndWordsAsJava() {
        for (String text : TEXTS) {
            Encoding expected = java.encode(text);
            Encoding actual = hf.encode(text);
            assertEquals(expected, actual, OffsetChecks.escape(text));
            OffsetChecks.assertSubstringsMatchTokens(java, text, expected);
        }
    }

    @Test
    void emojiOffsetsAreCharsNotCodePoints() {
        String text = "👍 ok";
        Encoding e = hf.encode(text);
        assertEquals("ok", text.substring(e.starts()[2], e.ends()[2]));
        assertEquals(3, e.starts()[2]);
    }

    @Test
    void samePairsAsJava() {
        assertEquals(java.encodePair("Paris is", "in France."), hf.encodePair("Paris is", "in France."));
        assertEquals(java.encodePair("👍 Zürich", "中文 [MASK]!"), hf.encodePair("👍 Zürich", "中文 [MASK]!"));
    }

    @Test
    void noPaddingOrTruncationByDefault() {
        String longText = "word ".repeat(700);
        assertEquals(702, hf.encode(longText).size());
        try (HfTokenizer truncating = HfTokenizer.load(dir.resolve("model"), 16)) {
            assertEquals(16, truncating.encode(longText).size());
        }
    }

    @Test
    void randomStringsMatchJava() {
        Random random = new Random(7);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String text = RandomText.next(random, false); // JNI cannot carry unpaired surrogates faithfully
            Encoding e = hf.encode(text);
            OffsetChecks.assertWellFormed(text, e);
            Encoding j = java.encode(text);
            // HuggingFace aligns NFD output by position, so when canonical reordering moves a spacing mark
            // with a combining class (U+302E/U+302F) past a stripped accent, it takes the accent's span.
            // Ours keeps each char's own span; ids and words must still agree.
            boolean reordered = text.indexOf('\u302E') >= 0 || text.indexOf('\u302F') >= 0;
            boolean same = reordered
                    ? Arrays.equals(j.ids(), e.ids()) && Arrays.equals(j.wordIds(), e.wordIds())
                    : j.equals(e);
            if (!same) {
                mismatches.add(OffsetChecks.escape(text) + "\n  java " + j + "\n  hf   " + e);
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first: " + mismatches.stream().limit(3).toList());
    }

    @Test
    void tokenizersPreferTokenizerJson(@TempDir Path tmp) throws IOException {
        try (Tokenizer t = Tokenizers.load(dir.resolve("model"))) {
            assertInstanceOf(HfTokenizer.class, t);
        }
        Files.copy(dir.resolve("vocab.txt"), tmp.resolve("vocab.txt"));
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        Tokenizer wp = Tokenizers.load(tmp);
        assertInstanceOf(WordPieceTokenizer.class, wp);
        assertEquals(false, ((WordPieceTokenizer) wp).doLowerCase());

        Path missing = tmp.resolve("missing");
        InfuseException e = assertThrows(InfuseException.class, () -> Tokenizers.load(missing));
        assertEquals("model directory not found: " + missing, e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(InfuseException.class, () -> Tokenizers.load(empty));
        assertEquals("no tokenizer in " + empty + ": expected tokenizer.json or vocab.txt", e.getMessage());
    }

    @Test
    void savedHfTokenizerLoadsBack(@TempDir Path out) {
        hf.save(out);
        try (Tokenizer again = Tokenizers.load(out)) {
            assertEquals(hf.encode(TEXTS.get(1)), again.encode(TEXTS.get(1)));
        }
        assertTrue(Files.isRegularFile(out.resolve("special_tokens_map.json")));
    }
}
