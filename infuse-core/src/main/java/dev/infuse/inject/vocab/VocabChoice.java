package dev.infuse.inject.vocab;

import dev.infuse.InfuseException;
import dev.infuse.domain.Entity;
import dev.infuse.text.WordPieceTokenizer;
import dev.infuse.train.data.PassageSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which words a domain vocabulary adds, and how fragmented a text is before and after.
 *
 * <p>A word's fragmentation score is its pieces times its count in the corpus, as AVocaDo ranks words: a frequent word
 * that splits into many pieces costs the model the most. The entities' words come first: every word of a name or an alias
 * that splits, ranked among themselves by the same score, whatever their count (a rare entity is the point). Then the
 * corpus's words with at least {@code minCount} occurrences fill the rest of {@code maxNew}. Only single words can be
 * entries: BERT's pre-tokenizer splits text at whitespace and punctuation before WordPiece looks at it, so "Common Lisp"
 * gets "common" and "lisp" (if either splits), never one token.
 */
public final class VocabChoice {
    /**
     * @param maxNew the most words to add
     * @param minCount the fewest corpus occurrences for a word that is not an entity's
     */
    public record Settings(int maxNew, int minCount) {
        public Settings {
            if (maxNew < 1) {
                throw new InfuseException("--max-new must be at least 1, found " + maxNew);
            }
            if (minCount < 1) {
                throw new InfuseException("--min-count must be at least 1, found " + minCount);
            }
        }
    }

    /**
     * A word to add.
     *
     * @param pieces the old ids it split into
     * @param count its occurrences in the corpus
     * @param entity whether it comes from an entity's name or alias
     */
    public record Word(String text, int[] pieces, long count, boolean entity) {
        public long score() {
            return (long) pieces.length * count;
        }
    }

    /** Words and their pieces over a text: pieces per word is {@code pieces / words}. */
    public record Fragmentation(long words, long pieces) {
        public double perWord() {
            return words == 0 ? Double.NaN : (double) pieces / words;
        }

        Fragmentation plus(Fragmentation o) {
            return new Fragmentation(words + o.words, pieces + o.pieces);
        }
    }

    /** What one pass over the corpus found: each word's count and pieces, the text's fragmentation, the mentions per entity. */
    public record Counts(Map<String, Word> words, Fragmentation fragmentation, Map<String, Integer> mentions, long passages) {}

    private VocabChoice() {}

    /** Counts the words of every passage of {@code corpus}; an empty corpus is an error. */
    public static Counts count(WordPieceTokenizer tok, PassageSource corpus) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, int[]> pieces = new HashMap<>();
        Map<String, Integer> mentions = new HashMap<>();
        long words = 0;
        long total = 0;
        long passages = 0;
        try (PassageSource.Pass pass = corpus.open()) {
            while (pass.hasNext()) {
                var p = pass.next();
                passages++;
                for (String e : p.entities()) {
                    if (!e.isEmpty()) {
                        mentions.merge(e, 1, Integer::sum);
                    }
                }
                for (Words.Word w : Words.of(tok, p.text(), tok.unkId())) {
                    if (w.counted()) {
                        words++;
                        total += w.pieces().length;
                    }
                    if (w.candidate()) {
                        counts.computeIfAbsent(w.text(), k -> new long[1])[0]++;
                        pieces.putIfAbsent(w.text(), w.pieces());
                    }
                }
            }
        }
        if (words == 0) {
            throw new InfuseException("corpus " + corpus.describe() + " has no words to count");
        }
        Map<String, Word> out = new HashMap<>();
        counts.forEach((w, c) -> out.put(w, new Word(w, pieces.get(w), c[0], false)));
        return new Counts(out, new Fragmentation(words, total), mentions, passages);
    }

    /** Pieces per word over {@code texts}. */
    public static Fragmentation fragmentation(WordPieceTokenizer tok, Iterable<String> texts) {
        Fragmentation f = new Fragmentation(0, 0);
        for (String t : texts) {
            long w = 0;
            long p = 0;
            for (Words.Word x : Words.of(tok, t, tok.unkId())) {
                if (x.counted()) {
                    w++;
                    p += x.pieces().length;
                }
            }
            f = f.plus(new Fragmentation(w, p));
        }
        return f;
    }

    /** Pieces per word over a corpus, as {@link #count} measures it. */
    public static Fragmentation fragmentation(WordPieceTokenizer tok, PassageSource corpus) {
        long words = 0;
        long total = 0;
        try (PassageSource.Pass pass = corpus.open()) {
            while (pass.hasNext()) {
                for (Words.Word w : Words.of(tok, pass.next().text(), tok.unkId())) {
                    if (w.counted()) {
                        words++;
                        total += w.pieces().length;
                    }
                }
            }
        }
        return new Fragmentation(words, total);
    }

    /**
     * The words to add, best first: the entities' split words, then the corpus's, by score (then by count, then
     * alphabetically, so the choice is the same every time). A word is never chosen twice, and never when the tokenizer
     * already has it.
     */
    public static List<Word> choose(WordPieceTokenizer tok, Counts counts, List<Entity> entities, Settings s) {
        Comparator<Word> best = Comparator.comparingLong(Word::score).reversed().thenComparing(Comparator.comparingLong(Word::count).reversed())
                .thenComparing(Comparator.comparingInt((Word w) -> w.pieces().length).reversed()).thenComparing(Word::text);
        Map<String, Word> fromEntities = new LinkedHashMap<>();
        for (Entity e : entities) {
            List<String> surfaces = new ArrayList<>(List.of(e.name()));
            surfaces.addAll(e.aliases());
            for (String surface : surfaces) {
                for (Words.Word w : Words.of(tok, surface, tok.unkId())) {
                    if (w.candidate()) {
                        Word inCorpus = counts.words().get(w.text());
                        fromEntities.putIfAbsent(w.text(), new Word(w.text(), w.pieces(), inCorpus == null ? 0 : inCorpus.count(), true));
                    }
                }
            }
        }
        List<Word> entityWords = new ArrayList<>(fromEntities.values());
        entityWords.sort(best);
        List<Word> corpusWords = new ArrayList<>(counts.words().values().stream()
                .filter(w -> w.count() >= s.minCount() && !fromEntities.containsKey(w.text())).toList());
        corpusWords.sort(best);
        List<Word> out = new ArrayList<>();
        for (List<Word> group : List.of(entityWords, corpusWords)) {
            for (Word w : group) {
                if (out.size() < s.maxNew() && tok.tokenToId(w.text()) < 0) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
