package dev.infuse.train.data;

import java.util.Arrays;
import java.util.List;

/**
 * One passage of a training corpus.
 *
 * @param startsDocument true for the first passage of a document; packing never crosses a document boundary
 * @param mentions entity mentions as Java char spans {@code [start, end)} into {@code text}
 * @param entities the linked entity id of each mention, parallel to {@code mentions}; "" when unknown
 */
public record TextPassage(String text, boolean startsDocument, List<int[]> mentions, List<String> entities) {
    /** A passage whose mentions are not linked to entity ids. */
    public TextPassage(String text, boolean startsDocument, List<int[]> mentions) {
        this(text, startsDocument, mentions, null);
    }

    public TextPassage {
        if (entities == null) {
            entities = java.util.Collections.nCopies(mentions.size(), "");
        }
        if (entities.size() != mentions.size()) {
            throw new IllegalArgumentException(mentions.size() + " mentions but " + entities.size() + " entity ids");
        }
        entities = List.copyOf(entities);
        for (int[] m : mentions) {
            if (m.length != 2 || m[0] < 0 || m[0] >= m[1] || m[1] > text.length()) {
                throw new IllegalArgumentException("mention " + Arrays.toString(m) + " lies outside the passage's "
                        + text.length() + " chars");
            }
        }
        mentions = List.copyOf(mentions);
    }
}
