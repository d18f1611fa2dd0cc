package dev.infuse.domain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle of short texts made from another: every passage cut after its first sentence, with the mentions
 * that lie inside it. Entities and triples are copied. Useful where the length of a text decides the cost,
 * as in PELT's build, whose reference recipe pads every window to the same length.
 */
public final class FirstSentences {
    /** A full stop, question or exclamation mark followed by white space and a capital letter, a digit or a quote. */
    private static final Pattern END = Pattern.compile("[.!?](?=\\s+[\\p{Lu}\\p{N}\"'(])");

    private static final Pattern WORD = Pattern.compile("\\S+");

    /** @param passages passages written; @param mentions mentions kept inside the cut texts */
    public record Summary(long passages, long mentions, long droppedMentions) {}

    private FirstSentences() {}

    public static Summary write(DomainBundle source, Path output) {
        return write(source, output, Integer.MAX_VALUE);
    }

    /** @param maxWords a first sentence longer than this is cut after its {@code maxWords}-th word */
    public static Summary write(DomainBundle source, Path output, int maxWords) {
        if (maxWords < 1) {
            throw new dev.infuse.InfuseException("--max-words must be at least 1, found " + maxWords);
        }
        long[] counts = new long[3];
        BundleWriter w = new BundleWriter(output, true);
        w.writeEntities(source.entities());
        w.writeTriples(source.triples().toList());
        w.writeCorpus(source.passages().map(p -> {
            Passage cut = cut(p, maxWords);
            counts[0]++;
            counts[1] += cut.mentions().size();
            counts[2] += p.mentions().size() - cut.mentions().size();
            return cut;
        }).iterator());
        return new Summary(counts[0], counts[1], counts[2]);
    }

    static Passage cut(Passage p) {
        return cut(p, Integer.MAX_VALUE);
    }

    /**
     * The passage up to and including its first sentence's final mark (the whole text if none is found),
     * and no further than the end of its {@code maxWords}-th white-space separated word.
     */
    static Passage cut(Passage p, int maxWords) {
        Matcher m = END.matcher(p.text());
        int end = m.find() ? m.start() + 1 : p.text().length();
        Matcher w = WORD.matcher(p.text());
        for (int k = 0; k < maxWords && w.find(); k++) {
            if (k == maxWords - 1) {
                end = Math.min(end, w.end());
            }
        }
        List<Mention> kept = new ArrayList<>();
        for (Mention x : p.mentions()) {
            if (x.end() <= end) {
                kept.add(x);
            }
        }
        return new Passage(p.id(), p.text().substring(0, end), kept);
    }
}
