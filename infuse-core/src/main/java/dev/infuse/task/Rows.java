package dev.infuse.task;

import dev.infuse.inject.TextRow;
import dev.infuse.model.InputRow;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.HashMap;
import java.util.Map;

/** Encodings to model rows, cut to the length limit the way BERT's fine-tuning scripts cut them. */
public final class Rows {
    private Rows() {}

    /** The first {@code maxLen - 1} tokens and a final [SEP] when the encoding is longer than {@code maxLen}. */
    public static InputRow cut(TextRow r, int maxLen, Tokenizer tok) {
        Encoding e = r.encoding();
        int n = Math.min(e.size(), maxLen);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = e.ids()[i];
        }
        if (e.size() > maxLen) {
            ids[n - 1] = tok.sepId();
        }
        Map<Integer, float[]> overrides = new HashMap<>();
        // A slot that falls on the final [SEP] or beyond is dropped with its text.
        r.overrides().forEach((p, v) -> {
            if (p < kept(e, maxLen)) {
                overrides.put(p, v);
            }
        });
        return new InputRow(ids, overrides, cutPositions(r.positions(), n), cutVisibility(r.visibility(), n), types(e, n), r.extras());
    }

    /**
     * The first n positions. When the row was cut, the final [SEP] sits in the last kept slot and takes that
     * slot's position and visibility: it stays where the text ends.
     */
    private static long[] cutPositions(long[] p, int n) {
        return p == null ? null : java.util.Arrays.copyOf(p, n);
    }

    private static boolean[][] cutVisibility(boolean[][] v, int n) {
        if (v == null) {
            return null;
        }
        boolean[][] out = new boolean[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOf(v[i], n);
        }
        return out;
    }

    /** The encoding's segment ids, or null when all are 0 (the model's default, and no [B,T] array to build). */
    private static long[] types(Encoding e, int n) {
        long[] t = new long[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            t[i] = e.typeIds()[i];
            any |= t[i] != 0;
        }
        return any ? t : null;
    }

    /** How many positions of an encoding survive {@link #cut}: targets at or past it are dropped. */
    public static int kept(Encoding e, int maxLen) {
        return e.size() > maxLen ? maxLen - 1 : e.size();
    }
}
