package dev.infuse.model;

import dev.infuse.InfuseException;
import java.util.Map;

/**
 * One sequence of token ids ready for the model, with what else the engine can take per token. Every field
 * but {@code ids} is optional: null (or an empty map) means the model's default.
 *
 * @param ids token ids, n of them
 * @param overrides input embeddings that replace the word embedding at chosen positions (a PELT entity
 *     slot, for instance)
 * @param positions n explicit position ids, such as K-BERT's soft positions; null for the model's own
 *     numbering (0..n-1 for BERT, after the padding id for RoBERTa)
 * @param visibility an n×n matrix: {@code visibility[i][j]} says whether token i may attend to token j; every
 *     token must see at least one token. Null means every token sees every token of the row.
 * @param typeIds n segment ids; null for all zeros
 * @param extras what knowledge plug-ins put beside the tokens (mention spans, entity ids), by their own keys;
 *     it reaches the encoder's modules as the batch's {@link ForwardContext}
 */
public record InputRow(long[] ids, Map<Integer, float[]> overrides, long[] positions, boolean[][] visibility, long[] typeIds,
        Map<String, Object> extras) {
    public InputRow(long[] ids, Map<Integer, float[]> overrides, long[] positions, boolean[][] visibility, long[] typeIds) {
        this(ids, overrides, positions, visibility, typeIds, Map.of());
    }

    public InputRow {
        extras = extras == null ? Map.of() : Map.copyOf(extras);
        if (ids == null) {
            throw new InfuseException("an input row needs its token ids");
        }
        int n = ids.length;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        positions = checkLength("positions", positions, n);
        typeIds = checkLength("type ids", typeIds, n);
        if (visibility != null) {
            boolean[][] copy = new boolean[n][];
            if (visibility.length != n) {
                throw new InfuseException("input row visibility has " + visibility.length + " rows, expected " + n + "x" + n
                        + " for " + n + " tokens");
            }
            for (int i = 0; i < n; i++) {
                if (visibility[i] == null || visibility[i].length != n) {
                    throw new InfuseException("input row visibility row " + i + " has "
                            + (visibility[i] == null ? 0 : visibility[i].length) + " columns, expected " + n + "x" + n
                            + " for " + n + " tokens");
                }
                copy[i] = visibility[i].clone();
                if (!any(copy[i])) {
                    // An all-masked row would attend evenly to every column, padding included, so a padded
                    // batch could not reproduce the row's own output.
                    throw new InfuseException("input row visibility row " + i + " sees no token, expected at least one");
                }
            }
            visibility = copy;
        }
    }

    /** A row of ids and overrides with the model's default positions, full visibility and type 0. */
    public InputRow(long[] ids, Map<Integer, float[]> overrides) {
        this(ids, overrides, null, null, null);
    }

    public static InputRow of(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return new InputRow(l, Map.of());
    }

    /** This row with explicit position ids (null restores the default numbering). */
    public InputRow withPositions(long[] p) {
        return new InputRow(ids, overrides, p, visibility, typeIds, extras);
    }

    /** This row with a visibility matrix (null restores full visibility). */
    public InputRow withVisibility(boolean[][] v) {
        return new InputRow(ids, overrides, positions, v, typeIds, extras);
    }

    /** This row with segment ids (null restores all zeros). */
    public InputRow withTypeIds(long[] t) {
        return new InputRow(ids, overrides, positions, visibility, t, extras);
    }

    /** This row with one more extra, under a plug-in's key. */
    public InputRow withExtra(String key, Object value) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(extras);
        m.put(key, value);
        return new InputRow(ids, overrides, positions, visibility, typeIds, m);
    }

    public int length() {
        return ids.length;
    }

    private static long[] checkLength(String field, long[] a, int n) {
        if (a == null) {
            return null;
        }
        if (a.length != n) {
            throw new InfuseException("input row " + field + " has " + a.length + " entries, expected " + n + " (one per token)");
        }
        return a.clone();
    }

    private static boolean any(boolean[] row) {
        for (boolean b : row) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
