package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
    @TempDir
    static Path dir;

    static Path vocabTxt;
    static WordPieceTokenizer bert;

    @BeforeAll
    static void load() throws IOException {
        vocabTxt = BertVocab.extract(dir);
        bert = WordPieceTokenizer.load(vocabTxt);
    }

    @Test
    void knownIdsFromBertBaseUncased() {
        assertArrayEquals(new int[] {101, 1996, 3007, 1997, 2605, 2003, 103, 1012, 102},
                bert.encode("The capital of France is [MASK].").ids());
        assertArrayEquals(new int[] {101, 9413, 25023, 2003, 1037, 8360, 4730, 103, 1012, 102},
                bert.encode("Erlang is a functional programming [MASK].").ids());
        assertArrayEquals(new int[] {101, 1996, 17368, 18584, 2229, 8128, 2013, 103, 1998, 15389, 2015, 2068, 1012, 102},
                bert.encode("The CPU fetches instructions from [MASK] and executes them.").ids());
        assertArrayEquals(new int[] {101, 7668, 5608, 1999, 10204, 5271, 103, 2296, 2851, 1012, 102},
                bert.encode("Café owners in Zürich sell [MASK] every morning.").ids());
    }

    @Test
    void specialsAndVocabulary() {
        assertEquals(30522, bert.vocabSize());
        assertEquals(103, bert.maskId());
        assertEquals("[MASK]", bert.maskToken());
        assertEquals(101, bert.clsId());
        assertEquals(102, bert.sepId());
        assertEquals(0, bert.padId());
        assertEquals(100, bert.unkId());
        assertTrue(bert.isSpecial(103) && bert.isSpecial(0) && bert.isSpecial(100));
        assertFalse(bert.isSpecial(1996));
        assertEquals(1996, bert.tokenToId("the"));
        assertEquals(-1, bert.tokenToId("not-a-token"));
        assertEquals("##es", bert.idToToken(2229));
        assertThrows(IllegalArgumentException.class, () -> bert.idToToken(30522));
    }

    @Test
    void offsetsWordIdsAndSpecialFlags() {
        String text = "The CPU fetches [MASK]!";
        Encoding e = bert.encode(text);
        // [CLS] the cpu fetch ##es [MASK] ! [SEP]
        assertArrayEquals(new int[] {-1, 0, 4, 8, 13, 16, 22, -1}, e.starts());
        assertArrayEquals(new int[] {-1, 3, 7, 13, 15, 22, 23, -1}, e.ends());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 2, 3, 4, -1}, e.wordIds());
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, true}, e.special());
        assertEquals(5, e.wordCount());
    }

    @Test
    void offsetsSurviveAccentsLowerCaseAndControlChars() {
        String text = "\u0000Café\u200b  ZÜRICH\t\u00e9t\u00e9";
        Encoding e = bert.encode(text);
        OffsetChecks.assertSubstringsMatchTokens(bert, text, e);
        assertEquals("Café", text.substring(e.starts()[1], e.ends()[1]));
    }

    @Test
    void lowerCasingOffKeepsCaseAndAccentsButNotSpecials() {
        WordPieceTokenizer cased = WordPieceTokenizer.load(vocabTxt, false);
        assertFalse(cased.stripAccents());
        // The uncased vocabulary has no capitals and no accented "é" word piece after "caf".
        assertArrayEquals(new int[] {101, 100, 2003, 103, 102}, cased.encode("Paris is [MASK]").ids());
        assertArrayEquals(new int[] {101, 3000, 2003, 103, 102}, bert.encode("Paris is [MASK]").ids());
        assertArrayEquals(new int[] {101, 1031, 7308, 1033, 102}, bert.encode("[mask]").ids(), "only exact [MASK]");
    }

    @Test
    void longWordIsOneUnk() {
        String word = "a".repeat(300);
        Encoding e = bert.encode("x " + word + " y");
        assertArrayEquals(new int[] {101, 1060, 100, 1061, 102}, e.ids());
        assertEquals(2, e.starts()[2]);
        assertEquals(302, e.ends()[2]);
        // 100 code points is still tokenized; 101 is not.
        assertTrue(bert.encode("a".repeat(100)).size() > 3);
        assertEquals(3, bert.encode("a".repeat(101)).size());
    }

    @Test
    void pairsHaveTypeIdsAndContinuedWordIds() {
        Encoding e = bert.encodePair("Paris is", "in France.");
        assertArrayEquals(new int[] {101, 3000, 2003, 102, 1999, 2605, 1012, 102}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {-1, 0, 1, -1, 2, 3, 4, -1}, e.wordIds());
        assertArrayEquals(new int[] {-1, 0, 6, -1, 0, 3, 9, -1}, e.starts());
    }

    @Test
    void emptyAndBlankTextsGiveOnlySpecials() {
        assertArrayEquals(new int[] {101, 102}, bert.encode("").ids());
        assertArrayEquals(new int[] {101, 102}, bert.encode(" \t\n\u3000\u0001").ids());
    }

    @Test
    void badVocabulariesAreUserErrors(@TempDir Path tmp) throws IOException {
        Path noMask = tmp.resolve("no-mask.txt");
        Files.write(noMask, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "the"));
        InfuseException e = assertThrows(InfuseException.class, () -> WordPieceTokenizer.load(noMask));
        assertEquals("vocab.txt has no [MASK] token: " + noMask, e.getMessage());

        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "");
        e = assertThrows(InfuseException.class, () -> WordPieceTokenizer.load(empty));
        assertEquals("vocab.txt is empty: " + empty, e.getMessage());

        Path dup = tmp.resolve("dup.txt");
        Files.write(dup, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "the"));
        e = assertThrows(InfuseException.class, () -> WordPieceTokenizer.load(dup));
        assertEquals("vocab.txt line 7 repeats \"the\" from line 6, expected each token once: " + dup, e.getMessage());

        Path missing = tmp.resolve("nope/vocab.txt");
        e = assertThrows(InfuseException.class, () -> WordPieceTokenizer.load(missing));
        assertEquals("vocab.txt not found: " + missing, e.getMessage());
    }

    @Test
    void randomStringsNeverThrowAndKeepOffsetsInOrder() {
        Random random = new Random(20240611);
        for (int i = 0; i < 2000; i++) {
            String text = RandomText.next(random);
            Encoding e = bert.encode(text);
            OffsetChecks.assertWellFormed(text, e);
        }
    }

    @Test
    void saveWritesVocabAndHuggingFaceFiles(@TempDir Path out) throws IOException {
        bert.save(out);
        assertEquals(Files.readAllLines(vocabTxt), Files.readAllLines(out.resolve("vocab.txt")));
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
        List<String> vocab = new ArrayList<>(bert.vocab());
        WordPieceTokenizer again = new WordPieceTokenizer(vocab, true, true, "copy");
        assertEquals(bert.encode("Zürich [MASK]"), again.encode("Zürich [MASK]"));
    }
}
