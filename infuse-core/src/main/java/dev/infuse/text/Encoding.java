package dev.infuse.text;

import java.util.Arrays;

/**
 * One encoded text (or text pair): parallel arrays, one entry per token, specials included.
 *
 * <p>Shape: every array has {@link #size()} entries. {@code starts[i]}/{@code ends[i]} are Java
 * {@code char} offsets, end exclusive, into the ORIGINAL string handed to the tokenizer (for a pair,
 * tokens with {@code typeIds[i] == 1} index into the second string). Tokens the tokenizer added itself
 * ({@code [CLS]}, {@code [SEP]}: {@code special[i] == true}) have start = end = -1 and word id -1.
 *
 * <p>A special token written inside the text, such as {@code [MASK]} in "Paris is [MASK].", is kept
 * whole but is NOT marked special here: it has real offsets and its own word id, the same as
 * HuggingFace's {@code special_tokens_mask}. Use {@link Tokenizer#isSpecial(int)} to ask about an id.
 *
 * <p>{@code wordIds} count words from 0 across the whole encoding (a pair's second text continues the
 * count), so whole-word masking can group the pieces of "fetch ##es" by equal word id.
 */
public record Encoding(int[] ids, int[] typeIds, int[] starts, int[] ends, boolean[] special, int[] wordIds) {
    public Encoding {
        int n = ids.length;
        if (typeIds.length != n || starts.length != n || ends.length != n || special.length != n
                || wordIds.length != n) {
            throw new IllegalArgumentException("Encoding arrays differ in length: ids " + n + ", typeIds "
                    + typeIds.length + ", starts " + starts.length + ", ends " + ends.length + ", special "
                    + special.length + ", wordIds " + wordIds.length);
        }
    }

    /** Number of tokens, specials included. */
    public int size() {
        return ids.length;
    }

    /** Number of distinct words (max word id + 1). */
    public int wordCount() {
        int max = -1;
        for (int w : wordIds) {
            max = Math.max(max, w);
        }
        return max + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e
                && Arrays.equals(ids, e.ids)
                && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(starts, e.starts)
                && Arrays.equals(ends, e.ends)
                && Arrays.equals(special, e.special)
                && Arrays.equals(wordIds, e.wordIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "Encoding[ids=" + Arrays.toString(ids) + ", typeIds=" + Arrays.toString(typeIds) + ", starts="
                + Arrays.toString(starts) + ", ends=" + Arrays.toString(ends) + ", special="
                + Arrays.toString(special) + ", wordIds=" + Arrays.toString(wordIds) + "]";
    }
}
