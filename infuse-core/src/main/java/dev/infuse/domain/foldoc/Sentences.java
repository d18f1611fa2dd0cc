package dev.infuse.domain.foldoc;

import dev.infuse.domain.Mention;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a passage into sentences at ". ", "? " or "! " followed by an upper-case letter or digit,
 * never inside a mention (so "Inc. Foo" inside a name stays whole). Crude but deterministic, and
 * good enough to keep NER and typing examples short.
 */
final class Sentences {
    private Sentences() {}

    /** Sentence spans {@code [start, end)}, trimmed, covering all non-space text. */
    static List<int[]> spans(String text, List<Mention> mentions) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 2 < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '.' || c == '?' || c == '!') && text.charAt(i + 1) == ' '
                    && Character.isLetterOrDigit(text.charAt(i + 2)) && !Character.isLowerCase(text.charAt(i + 2))
                    && !inside(i + 1, mentions)) {
                out.add(new int[] {start, i + 1});
                start = i + 2;
            }
        }
        if (start < text.length()) {
            out.add(new int[] {start, text.length()});
        }
        return out;
    }

    private static boolean inside(int pos, List<Mention> mentions) {
        for (Mention m : mentions) {
            if (m.start() < pos && pos < m.end()) {
                return true;
            }
        }
        return false;
    }
}
