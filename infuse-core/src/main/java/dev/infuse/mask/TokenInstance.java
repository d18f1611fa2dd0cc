package dev.infuse.mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One training sequence as the maskers see it: token ids with the facts that decide what may be masked
 * together. All arrays have one entry per token, specials included.
 *
 * @param ids token ids
 * @param special true where the token must never be masked ([CLS], [SEP], [PAD], ...)
 * @param wordIds word number per token; tokens of one word share it, so whole-word masking can keep
 *     "fetch ##es" together. -1 for specials.
 * @param entitySpans mention token spans {@code [start, end)}, non-overlapping, free of specials; entity
 *     masking hides each one whole (ERNIE-Baidu style)
 */
public record TokenInstance(int[] ids, boolean[] special, int[] wordIds, List<int[]> entitySpans) {
    public TokenInstance {
        int n = ids.length;
        if (special.length != n || wordIds.length != n) {
            throw new IllegalArgumentException("TokenInstance arrays differ in length: ids " + n + ", special " + special.length
                    + ", wordIds " + wordIds.length);
        }
        List<int[]> spans = new ArrayList<>(entitySpans);
        spans.sort(Comparator.comparingInt(s -> s[0]));
        int last = 0;
        for (int[] s : spans) {
            if (s.length != 2 || s[0] < last || s[0] >= s[1] || s[1] > n) {
                throw new IllegalArgumentException("entity span " + Arrays.toString(s) + " is empty, overlaps another or lies outside [0, "
                        + n + ")");
            }
            for (int i = s[0]; i < s[1]; i++) {
                if (special[i]) {
                    throw new IllegalArgumentException("entity span " + Arrays.toString(s) + " covers special token " + i);
                }
            }
            last = s[1];
        }
        entitySpans = List.copyOf(spans);
    }

    /** An instance without entity spans. */
    public static TokenInstance of(int[] ids, boolean[] special, int[] wordIds) {
        return new TokenInstance(ids, special, wordIds, List.of());
    }

    public int size() {
        return ids.length;
    }

    /** Tokens that may be masked: everything but the specials. */
    public int maskable() {
        int n = 0;
        for (boolean s : special) {
            n += s ? 0 : 1;
        }
        return n;
    }
}
