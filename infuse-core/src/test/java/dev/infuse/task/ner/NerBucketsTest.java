package dev.infuse.task.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.task.Labels;
import dev.infuse.task.Scores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-bucket NER scores, counted by hand on crafted sentences. */
class NerBucketsTest {
    @TempDir
    Path tmp;

    private static NerSentence s(String words, String tags) {
        return new NerSentence(List.of(words.split(" ")), List.of(tags.split(" ")), 1);
    }

    @Test
    void chunksCountInTheBucketOfTheirSurface() throws Exception {
        Files.writeString(tmp.resolve("train.conll"), "x\tO\n");
        Files.writeString(tmp.resolve("buckets.tsv"), "C++\trare\nGNU Emacs\tfrequent\nUnix\tfrequent\n");
        NerSet base = NerSet.read(tmp.resolve("train.conll"));
        NerSet set = base.withSentences(List.of(
                s("use C + + and GNU Emacs", "O B-lang I-lang I-lang O B-sw I-sw"),
                s("Unix and Linux", "B-os O B-os")));
        Labels labels = new Labels(List.of("O", "B-lang", "I-lang", "B-sw", "I-sw", "B-os"));
        // Sentence 1: C++ right (rare), GNU Emacs missed, a wrong chunk on "and" (no bucket).
        // Sentence 2: Unix typed wrong (frequent: predicted and gold, not correct), Linux right (no bucket).
        List<int[]> predicted = List.of(new int[] {0, 1, 2, 2, 5, 0, 0}, new int[] {1, 0, 5});
        Scores sc = set.score(predicted, labels);
        Map<?, ?> per = (Map<?, ?>) sc.all().get("per_bucket");
        Map<?, ?> rare = (Map<?, ?>) per.get("rare");
        Map<?, ?> frequent = (Map<?, ?>) per.get("frequent");
        assertEquals(List.of(1, 1, 1), List.of(rare.get("correct"), rare.get("predicted"), rare.get("gold")));
        assertEquals(List.of(0, 1, 2), List.of(frequent.get("correct"), frequent.get("predicted"), frequent.get("gold")));
        assertEquals(0.0, (double) frequent.get("recall"));
        // Overall: gold C++, GNU Emacs, Unix, Linux; predicted C++, and, Unix(lang), Linux; correct C++ and Linux.
        assertEquals(2.0 / 4, (double) sc.all().get("recall"), 1e-12);
        assertEquals(2.0 / 4, (double) sc.all().get("precision"), 1e-12);
    }

    @Test
    void noFileMeansNoBucketsAndABadLineIsNamed() throws Exception {
        Files.writeString(tmp.resolve("t.conll"), "x\tO\n");
        assertTrue(!NerSet.read(tmp.resolve("t.conll")).score(List.of(new int[] {0}), new Labels(List.of("O"))).all().containsKey("per_bucket"));
        Files.writeString(tmp.resolve("buckets.tsv"), "C++\trare\nno tab here\n");
        InfuseException e = assertThrows(InfuseException.class, () -> NerSet.read(tmp.resolve("t.conll")));
        assertTrue(e.getMessage().endsWith("buckets.tsv:2: expected surface<TAB>bucket"), e.getMessage());
    }
}
