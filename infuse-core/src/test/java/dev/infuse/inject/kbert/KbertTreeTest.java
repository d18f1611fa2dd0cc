package dev.infuse.inject.kbert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.TextRow;
import dev.infuse.inject.kbert.KnowledgeGraph.Branch;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.task.RowEncoder;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sentence trees on crafted sentences against hand-written trees, soft positions and visible matrices: two
 * subjects with two branches each, in English (words between spaces) and in Chinese (no spaces at all).
 */
class KbertTreeTest {
    static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    static WordPieceTokenizer tokenizer(String... words) {
        List<String> v = new ArrayList<>(SPECIALS);
        for (String w : words) {
            if (!v.contains(w)) {
                v.add(w);
            }
        }
        return new WordPieceTokenizer(v, false, false, "test");
    }

    static final WordPieceTokenizer EN = tokenizer("cook", "visits", "beijing", "today", "is", "a", "chef", "works", "at", "apple", "capital",
            "of", "china", "city");

    /** cook: (is, chef), (works at, apple); beijing: (capital of, china), (is a, city). */
    static KnowledgeGraph english() {
        Map<String, List<Branch>> g = new LinkedHashMap<>();
        g.put("cook", List.of(new Branch("is", "chef"), new Branch("works at", "apple")));
        g.put("beijing", List.of(new Branch("capital of", "china"), new Branch("is a", "city")));
        return KnowledgeGraph.of(g, "english");
    }

    static KbertEncoder encoder(WordPieceTokenizer tok, KnowledgeGraph g, int maxLen, boolean vm) {
        return new KbertEncoder(tok, g, new KbertOptions(Path.of("g.spo"), 2, vm, 7), maxLen);
    }

    /** Rows through K-BERT alone, as a task model with only this plug-in builds them. */
    static RowEncoder rows(KbertEncoder k) {
        return RowEncoder.of(k.tokenizer(), new KnowledgeStack(List.of(KbertKnowledge.of(k))));
    }

    static List<String> tokens(WordPieceTokenizer tok, TextRow r) {
        return Arrays.stream(r.encoding().ids()).mapToObj(tok::idToToken).toList();
    }

    /** The matrix from rows of 0/1, spaces ignored. */
    static boolean[][] matrix(String... rows) {
        boolean[][] m = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            String r = rows[i].replace(" ", "");
            assertEquals(rows.length, r.length(), "hand-written row " + i);
            m[i] = new boolean[r.length()];
            for (int j = 0; j < r.length(); j++) {
                m[i][j] = r.charAt(j) == '1';
            }
        }
        return m;
    }

    static void assertMatrix(boolean[][] expected, boolean[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "row " + i);
        }
    }

    @Test
    void englishTreeSoftPositionsAndVisibleMatrix() {
        TextRow r = rows(encoder(EN, english(), 64, true)).encode("cook visits beijing today");
        assertEquals(List.of("[CLS]", "cook", "is", "chef", "works", "at", "apple", "visits", "beijing", "capital", "of", "china", "is", "a",
                "city", "today", "[SEP]"), tokens(EN, r));
        //                     CLS cook is chef works at apple visits beijing capital of china is a city today SEP
        assertArrayEquals(new long[] {0, 1, 2, 3, 2, 3, 4, 2, 3, 4, 5, 6, 4, 5, 6, 4, 5}, r.positions());
        // slots: 0 [CLS], 1 cook, 2-3 "is chef", 4-6 "works at apple", 7 visits, 8 beijing, 9-11 "capital of china",
        //        12-14 "is a city", 15 today, 16 [SEP]
        assertMatrix(matrix(
                //   0 1 23 456 7 8 9ab cde f g
                "1 1 00 000 1 1 000 000 1 1", // [CLS]: the sentence only
                "1 1 11 111 1 1 000 000 1 1", // cook: the sentence and its own two branches
                "0 1 11 000 0 0 000 000 0 0", // is
                "0 1 11 000 0 0 000 000 0 0", // chef
                "0 1 00 111 0 0 000 000 0 0", // works
                "0 1 00 111 0 0 000 000 0 0", // at
                "0 1 00 111 0 0 000 000 0 0", // apple
                "1 1 00 000 1 1 000 000 1 1", // visits
                "1 1 00 000 1 1 111 111 1 1", // beijing
                "0 0 00 000 0 1 111 000 0 0", // capital
                "0 0 00 000 0 1 111 000 0 0", // of
                "0 0 00 000 0 1 111 000 0 0", // china
                "0 0 00 000 0 1 000 111 0 0", // is
                "0 0 00 000 0 1 000 111 0 0", // a
                "0 0 00 000 0 1 000 111 0 0", // city
                "1 1 00 000 1 1 000 000 1 1", // today
                "1 1 00 000 1 1 000 000 1 1"), // [SEP]
                r.visibility());
        // Inserted tokens point nowhere in the text; the sentence's tokens keep their offsets.
        assertArrayEquals(new int[] {-1, 0, -1, -1, -1, -1, -1, 5, 12, -1, -1, -1, -1, -1, -1, 20, -1}, r.encoding().starts());
    }

    @Test
    void chineseTreeWithoutSpaces() {
        WordPieceTokenizer zh = tokenizer("他", "患", "糖", "尿", "病", "和", "高", "血", "压", "类", "别", "疾", "科", "室", "内", "分", "泌", "心");
        Map<String, List<Branch>> g = new LinkedHashMap<>();
        g.put("糖尿病", List.of(new Branch("类别", "疾病"), new Branch("科室", "内分泌科")));
        g.put("高血压", List.of(new Branch("类别", "疾病"), new Branch("科室", "心内科")));
        TextRow r = rows(encoder(zh, KnowledgeGraph.of(g, "zh"), 64, true)).encode("他患糖尿病和高血压");
        assertEquals(List.of("[CLS]", "他", "患", "糖", "尿", "病", "类", "别", "疾", "病", "科", "室", "内", "分", "泌", "科", "和", "高", "血", "压",
                "类", "别", "疾", "病", "科", "室", "心", "内", "科", "[SEP]"), tokens(zh, r));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 7, 8, 9, 10, 11, 6, 7, 8, 9, 10, 11, 12, 13, 10, 11, 12, 13, 14, 10},
                r.positions());
        // slots: 0-5 [CLS] 他 患 糖 尿 病 (糖尿病 = 3-5), 6-9 类别疾病, 10-15 科室内分泌科, 16-19 和 高 血 压 (高血压 = 17-19),
        //        20-23 类别疾病, 24-28 科室心内科, 29 [SEP]
        assertMatrix(matrix(
                //012345 6789 abcdef 0123 4567 89abc d
                "111111 0000 000000 1111 0000 00000 1", // [CLS]
                "111111 0000 000000 1111 0000 00000 1", // 他
                "111111 0000 000000 1111 0000 00000 1", // 患
                "111111 1111 111111 1111 0000 00000 1", // 糖
                "111111 1111 111111 1111 0000 00000 1", // 尿
                "111111 1111 111111 1111 0000 00000 1", // 病
                "000111 1111 000000 0000 0000 00000 0", // 类
                "000111 1111 000000 0000 0000 00000 0", // 别
                "000111 1111 000000 0000 0000 00000 0", // 疾
                "000111 1111 000000 0000 0000 00000 0", // 病
                "000111 0000 111111 0000 0000 00000 0", // 科
                "000111 0000 111111 0000 0000 00000 0", // 室
                "000111 0000 111111 0000 0000 00000 0", // 内
                "000111 0000 111111 0000 0000 00000 0", // 分
                "000111 0000 111111 0000 0000 00000 0", // 泌
                "000111 0000 111111 0000 0000 00000 0", // 科
                "111111 0000 000000 1111 0000 00000 1", // 和
                "111111 0000 000000 1111 1111 11111 1", // 高
                "111111 0000 000000 1111 1111 11111 1", // 血
                "111111 0000 000000 1111 1111 11111 1", // 压
                "000000 0000 000000 0111 1111 00000 0", // 类
                "000000 0000 000000 0111 1111 00000 0", // 别
                "000000 0000 000000 0111 1111 00000 0", // 疾
                "000000 0000 000000 0111 1111 00000 0", // 病
                "000000 0000 000000 0111 0000 11111 0", // 科
                "000000 0000 000000 0111 0000 11111 0", // 室
                "000000 0000 000000 0111 0000 11111 0", // 心
                "000000 0000 000000 0111 0000 11111 0", // 内
                "000000 0000 000000 0111 0000 11111 0", // 科
                "111111 0000 000000 1111 0000 00000 1"), // [SEP]
                r.visibility());
    }

    @Test
    void withoutTheVisibleMatrixPositionsStaySoftAndEveryTokenSeesAll() {
        TextRow with = rows(encoder(EN, english(), 64, true)).encode("cook visits beijing today");
        TextRow without = rows(encoder(EN, english(), 64, false)).encode("cook visits beijing today");
        assertArrayEquals(with.encoding().ids(), without.encoding().ids());
        assertArrayEquals(with.positions(), without.positions());
        assertNull(without.visibility());
    }

    @Test
    void aTextWithoutSubjectsIsThePlainEncoding() {
        KbertEncoder k = encoder(EN, english(), 64, true);
        TextRow r = rows(k).encode("visits today");
        assertEquals(EN.encode("visits today"), r.encoding());
        assertArrayEquals(new long[] {0, 1, 2, 3}, r.positions());
        for (boolean[] row : r.visibility()) {
            for (boolean b : row) {
                assertTrue(b);
            }
        }
    }

    @Test
    void branchesAreChosenBySeedAndSubjectAndKeptInFileOrder() {
        List<Branch> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new Branch("p" + i, "o" + i));
        }
        KnowledgeGraph g = KnowledgeGraph.of(Map.of("s", five, "few", five.subList(0, 2)), "g");
        assertEquals(five.subList(0, 2), g.choose("few", 2, 1), "no more than N: all, in file order");
        List<Branch> a = g.choose("s", 2, 1);
        assertEquals(a, g.choose("s", 2, 1), "the same seed draws the same branches");
        assertEquals(2, a.size());
        assertTrue(five.indexOf(a.get(0)) < five.indexOf(a.get(1)), "file order");
        boolean other = false;
        for (long seed = 2; seed < 20 && !other; seed++) {
            other = !g.choose("s", 2, seed).equals(a);
        }
        assertTrue(other, "another seed draws other branches");
        assertEquals(5, g.choose("s", 9, 1).size());
        assertFalse(g.choose("unknown", 2, 1).iterator().hasNext());
    }
}
