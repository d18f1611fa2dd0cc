package dev.infuse.inject.kbert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleWriter;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Triple;
import dev.infuse.inject.TextRow;
import dev.infuse.inject.kbert.KnowledgeGraph.Branch;
import dev.infuse.model.InputRow;
import dev.infuse.task.Encoded;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.Target;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.NerSentence;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.typing.TypingExample;
import dev.infuse.task.typing.TypingSet;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graph files, task files and what K-BERT rows do to targets; bad input and the counts a run reports. */
class KbertInputTest {
    @TempDir
    Path dir;

    static final WordPieceTokenizer EN = KbertTreeTest.EN;

    @Test
    void nerLabelsNeverLandOnInsertedTokensAndPredictionsMapBack() {
        NerSet set = new NerSet(List.of(new NerSentence(List.of("cook", "visits", "beijing", "today"), List.of("B-PER", "O", "B-LOC", "O"), 1)));
        Labels labels = new Labels(set.labelsInOrder());
        KbertEncoder k = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 64, true);
        Encoded e = set.encode(0, KbertTreeTest.rows(k), 64, labels);
        // Tree slots of the words: cook 1, visits 7, beijing 8, today 15; 2-6 and 9-14 are inserted.
        List<Integer> positions = new ArrayList<>();
        List<Integer> refs = new ArrayList<>();
        for (Target t : e.targets()) {
            positions.add(t.groups()[0][0]);
            refs.add(t.ref());
        }
        assertEquals(List.of(1, 7, 8, 15), positions);
        assertEquals(List.of(0, 1, 2, 3), refs);
        assertEquals(17, e.row().length(), "the row is the whole tree");
        // Predictions come back per word (ref), whatever the tree looked like: a perfect guess scores 1.
        int[] byWord = new int[4];
        for (Target t : e.targets()) {
            byWord[t.ref()] = t.label();
        }
        assertEquals(1.0, set.score(List.of(byWord), labels).primary(), 1e-9);
    }

    @Test
    void typingAndClassificationTargetsStayOnTheSentence() {
        KbertEncoder k = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 64, true);
        String text = "cook visits beijing today";
        TypingSet typing = new TypingSet(List.of(new TypingExample(text, 12, 19, "city", null, null)));
        Encoded t = typing.encode(0, KbertTreeTest.rows(k), 64, new Labels(List.of("city")));
        assertArrayEquals(new int[] {8}, t.targets().get(0).groups()[0], "beijing's own token, not its branches");
        ClassifySet cls = new ClassifySet(List.of(new ClassifySet.Example(text, "travel")));
        Encoded c = cls.encode(0, KbertTreeTest.rows(k), 64, new Labels(List.of("travel")));
        assertArrayEquals(new int[] {0}, c.targets().get(0).groups()[0], "[CLS], which sees only the sentence");
        assertEquals(17, c.row().length());
    }

    @Test
    void chineseKbertTsvLinksSubjectsAcrossTheCharacterColumns() throws IOException {
        Path tsv = dir.resolve("train.tsv");
        Files.writeString(tsv, "text_a\tlabel\n他 患 糖 尿 病\tO O B-DIS I-DIS I-DIS\n");
        NerSet set = NerSet.read(tsv);
        assertEquals(List.of("他", "患", "糖", "尿", "病"), set.sentences().get(0).words());
        WordPieceTokenizer zh = KbertTreeTest.tokenizer("他", "患", "糖", "尿", "病", "类", "别", "疾");
        KnowledgeGraph g = KnowledgeGraph.of(Map.of("糖尿病", List.of(new Branch("类别", "疾病"))), "zh");
        Encoded e = set.encode(0, KbertTreeTest.rows(KbertTreeTest.encoder(zh, g, 64, true)), 64, new Labels(set.labelsInOrder()));
        assertEquals(11, e.row().length(), "[CLS] + 5 characters + 4 inserted + [SEP]: 糖尿病 was linked");
        assertEquals(List.of(1, 2, 3, 4, 5), e.targets().stream().map(t -> t.groups()[0][0]).toList());
    }

    @Test
    void kbertTsvErrorsNameTheLine() throws IOException {
        Path ner = dir.resolve("bad.tsv");
        Files.writeString(ner, "text_a\tlabel\n他 患\tO O\n糖 尿 病\tO O\n");
        InfuseException e = assertThrows(InfuseException.class, () -> NerSet.read(ner));
        assertEquals(ner + ":3: text_a has 3 space-separated characters but label has 2 tags", e.getMessage());

        Path cls = dir.resolve("cls.tsv");
        Files.writeString(cls, "label\ttext_a\n1\tgood film\n0\tbad\tfilm\n");
        e = assertThrows(InfuseException.class, () -> ClassifySet.read(cls));
        assertEquals(cls + ":3: found 3 tab-separated fields, expected 2 (label, text_a)", e.getMessage());

        Files.writeString(cls, "label\ttext_a\n1\tgood film\n0\tbad film\n");
        ClassifySet ok = ClassifySet.read(cls);
        assertEquals(List.of(new ClassifySet.Example("good film", "1"), new ClassifySet.Example("bad film", "0")), ok.examples());

        Files.writeString(cls, "text_a\tlabel\tother\ngood\t1\tx\n");
        e = assertThrows(InfuseException.class, () -> ClassifySet.read(cls));
        assertTrue(e.getMessage().startsWith(cls + ":1: header is 'text_a<TAB>label<TAB>other'"), e.getMessage());
    }

    @Test
    void aMalformedSpoLineNamesItsLine() throws IOException {
        Path spo = dir.resolve("bad.spo");
        Files.writeString(spo, "糖尿病\t类别\t疾病\n高血压\t类别\n");
        InfuseException e = assertThrows(InfuseException.class, () -> KnowledgeGraph.read(spo));
        assertEquals(spo + ":2: found 2 tab-separated fields, expected 3 non-empty (subject, predicate, object)", e.getMessage());
        Files.writeString(spo, "a\tb\t\n");
        e = assertThrows(InfuseException.class, () -> KnowledgeGraph.read(spo));
        assertEquals(spo + ":1: found 3 tab-separated fields with an empty one, expected 3 non-empty (subject, predicate, object)", e.getMessage());
    }

    @Test
    void aBundleGraphResolvesIdsToNamesAndRoundTripsAsSpo() {
        Path bundle = dir.resolve("bundle");
        BundleWriter w = new BundleWriter(bundle, false);
        w.writeEntities(List.of(new Entity("erlang", "Erlang", List.of("ERL"), "language", ""), new Entity("beam", "BEAM", List.of(), "vm", ""),
                new Entity("otp", "OTP", List.of(), "library", "")));
        w.writeTriples(List.of(new Triple("erlang", "runs_on", "beam"), new Triple("erlang", "see_also", "otp"), new Triple("erlang", "runs_on", "beam")));
        KnowledgeGraph g = KnowledgeGraph.read(bundle);
        assertEquals(Map.of("Erlang", List.of(new Branch("runs on", "BEAM"), new Branch("see also", "OTP"))), g.bySubject());
        Path spo = dir.resolve("g.spo");
        g.write(spo);
        KnowledgeGraph back = KnowledgeGraph.read(spo);
        assertEquals(g.bySubject(), back.bySubject());
        assertEquals(g.fingerprint(), back.fingerprint());
    }

    @Test
    void aTooLongTreeLosesTheLatestSubjectsBranchesFirstThenTheSentenceAndCountsIt() {
        // The full tree has 17 tokens: 6 sentence tokens, cook's branches of 2 and 3, beijing's of 3 and 3.
        KbertEncoder k14 = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 14, true);
        SentenceTree.Tree t = k14.tree("cook visits beijing today");
        assertEquals(new SentenceTree.Cut(1, 3, 0), t.cut(), "beijing's last branch, 'is a city', goes");
        assertEquals(List.of("[CLS]", "cook", "is", "chef", "works", "at", "apple", "visits", "beijing", "capital", "of", "china", "today", "[SEP]"),
                KbertTreeTest.tokens(EN, new TextRow(t.encoding(), Map.of(), t.positions(), t.visibility(), Map.of())));

        KbertEncoder k11 = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 11, true);
        t = k11.tree("cook visits beijing today");
        assertEquals(new SentenceTree.Cut(2, 6, 0), t.cut(), "both of beijing's branches go before any of cook's");
        assertEquals(11, t.encoding().size());

        KbertEncoder k5 = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 5, true);
        t = k5.tree("cook visits beijing today");
        assertEquals(new SentenceTree.Cut(4, 11, 1), t.cut(), "every branch, then one sentence token");
        InputRow row = Rows.cut(KbertTreeTest.rows(k5).encode("cook visits beijing today"), 5, EN);
        assertArrayEquals(new long[] {EN.clsId(), EN.tokenToId("cook"), EN.tokenToId("visits"), EN.tokenToId("beijing"), EN.sepId()}, row.ids());

        String report = String.join("\n", k5.report("training"));
        assertTrue(report.contains("to fit 5 tokens, 2 texts lost 8 branches (22 tokens) and 2 sentence tokens"), report);
        assertTrue(k5.report("training").get(0).contains("training: 0 of 0 texts"), "counting starts afresh after a report");
    }

    @Test
    void aGraphThatLinksNothingWarnsWithCounts() {
        KbertEncoder k = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 64, true);
        k.tree("visits today");
        k.tree("today");
        k.tree("cook today");
        List<String> some = k.report("training");
        assertEquals(1, some.size(), "a linked subject: no warning\n" + some);
        assertTrue(some.get(0).contains("training: 1 of 3 texts link a subject (1 subjects), 2 branches inserted (5 tokens, 0 [UNK])"), some.get(0));
        k.tree("visits today");
        k.tree("today");
        List<String> none = k.report("dev");
        assertEquals("infuse: warning: kbert: none of the graph's 2 subjects occurs in the 2 dev texts, so the graph adds nothing "
                + "(subjects are matched case-sensitively at word boundaries)", none.get(1));
    }

    @Test
    void aVocabularyThatCannotSpellTheGraphWarnsWithTheShareOfUnk() {
        KnowledgeGraph g = KnowledgeGraph.of(Map.of("cook", List.of(new Branch("is", "厨师"))), "zh objects");
        KbertEncoder k = KbertTreeTest.encoder(EN, g, 64, true);
        k.tree("cook today");
        List<String> lines = k.report("training");
        assertTrue(lines.get(0).contains("1 branches inserted (3 tokens, 2 [UNK])"), lines.get(0));
        assertEquals("infuse: warning: kbert: 66.7% of the graph's branch word pieces are [UNK] for this model's vocabulary (2 of 3); "
                + "a model whose vocabulary spells the graph's language would see its knowledge", lines.get(1));
        KbertEncoder fits = KbertTreeTest.encoder(EN, KbertTreeTest.english(), 64, true);
        assertFalse(String.join("\n", fits.report("training")).contains("[UNK] for this model"));
    }
}
