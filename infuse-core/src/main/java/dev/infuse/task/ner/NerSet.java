package dev.infuse.task.ner;

import dev.infuse.inject.TextRow;
import dev.infuse.task.Encoded;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.Scores;
import dev.infuse.task.Target;
import dev.infuse.task.TaskSet;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NER as token classification: each word is one target, read from the state of its FIRST word piece (the
 * BERT paper's choice); the other pieces take part in attention but get no label.
 */
public final class NerSet implements TaskSet {
    private final List<NerSentence> sentences;
    private final NerBuckets buckets;

    public NerSet(List<NerSentence> sentences) {
        this(sentences, null);
    }

    /** @param buckets surface buckets for per-bucket scores, or null */
    public NerSet(List<NerSentence> sentences, NerBuckets buckets) {
        this.sentences = List.copyOf(sentences);
        this.buckets = buckets;
    }

    /**
     * Reads the CoNLL file (or K-BERT's NER tsv, see {@link KbertTsvReader}, when it is named {@code *.tsv[.gz]} and
     * starts with its header), and the {@link NerBuckets} file beside it when there is one.
     */
    public static NerSet read(Path file) {
        return new NerSet(KbertTsvReader.accepts(file) ? KbertTsvReader.read(file) : ConllReader.read(file), NerBuckets.beside(file));
    }

    /** The same task on other sentences (a sample), keeping the buckets. */
    public NerSet withSentences(List<NerSentence> other) {
        return new NerSet(other, buckets);
    }

    public List<NerSentence> sentences() {
        return sentences;
    }

    @Override
    public int size() {
        return sentences.size();
    }

    @Override
    public int items(int i) {
        return sentences.get(i).size();
    }

    @Override
    public List<String> labelsInOrder() {
        Set<String> s = new LinkedHashSet<>();
        sentences.forEach(x -> s.addAll(x.tags()));
        return new ArrayList<>(s);
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        NerSentence s = sentences.get(i);
        StringBuilder text = new StringBuilder();
        int[] wordStart = new int[s.size()];
        int[] wordEnd = new int[s.size()];
        for (int w = 0; w < s.size(); w++) {
            if (w > 0 && !joined(s.words().get(w - 1), s.words().get(w))) {
                text.append(' ');
            }
            wordStart[w] = text.length();
            text.append(s.words().get(w));
            wordEnd[w] = text.length();
        }
        TextRow r = enc.encode(text.toString());
        Encoding e = r.encoding();
        int kept = Rows.kept(e, maxLen);
        List<Target> targets = new ArrayList<>();
        int w = 0;
        for (int p = 0; p < kept && w < s.size(); p++) {
            if (e.special()[p] || e.starts()[p] < 0) {
                continue;
            }
            // Skip words that produced no piece (say, only control characters): they stay unpredicted, i.e. O.
            while (w < s.size() && e.starts()[p] >= (w + 1 < s.size() ? wordStart[w + 1] : wordEnd[w])) {
                w++;
            }
            if (w < s.size() && e.starts()[p] >= wordStart[w]) {
                targets.add(new Target(new int[][] {{p}}, w, labels.id(s.tags().get(w))));
                w++;
            }
        }
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), targets);
    }

    /**
     * Whether two neighbouring words are written without a space between them: when both touch at characters of
     * a script written without spaces (Han, Hiragana, Katakana), as in K-BERT's character-per-word files. The
     * tokenizer splits such characters anyway, so the pieces are the same either way; without the space a
     * knowledge graph's multi-character names can be found in the text.
     */
    static boolean joined(String left, String right) {
        return noSpaces(left.codePointBefore(left.length())) && noSpaces(right.codePointAt(0));
    }

    private static boolean noSpaces(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA;
    }

    @Override
    public Scores score(List<int[]> predicted, Labels labels) {
        NerScores scores = new NerScores();
        NerBuckets.Tally tally = new NerBuckets.Tally();
        for (int i = 0; i < sentences.size(); i++) {
            List<String> tags = new ArrayList<>();
            for (int id : predicted.get(i)) {
                tags.add(id < 0 ? "O" : labels.name(id));
            }
            NerSentence s = sentences.get(i);
            scores.add(s.tags(), tags);
            if (buckets != null) {
                tally.add(buckets, s.words(), Chunks.of(s.tags()), Chunks.of(tags));
            }
        }
        Map<String, Object> all = scores.toMap();
        if (buckets != null) {
            all.put("per_bucket", tally.toMap());
        }
        return new Scores("f1", scores.micro().f1(), all);
    }
}
