package dev.infuse.model;

import java.util.Map;

/**
 * One sequence of token ids ready for the model, with optional input embeddings that replace the word
 * embedding at chosen positions (a PELT entity slot, for instance).
 */
public record InputRow(long[] ids, Map<Integer, float[]> overrides) {
    public InputRow {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    public static InputRow of(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return new InputRow(l, Map.of());
    }

    public int length() {
        return ids.length;
    }
}
