package dev.infuse.model;

import dev.infuse.InfuseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds padded batches from rows of different lengths.
 *
 * <p>The contract: every real token of a row gets the same final hidden state in the batch as in a forward
 * pass over the row alone. Padding goes on the right; no real token can see a padding token, so what the
 * padding holds (its id, position, type, and what it sees) only shapes the padding's own outputs.
 */
public final class Batches {
    private Batches() {}

    /**
     * Right-pads every row to the longest with {@code padId}. Rows without positions are numbered the BERT
     * way (0..n-1) when another row of the batch has explicit positions; use
     * {@link #padded(List, int, BertConfig)} for a RoBERTa model.
     */
    public static BertInput padded(List<InputRow> rows, int padId) {
        return padded(rows, padId, null);
    }

    /**
     * Right-pads every row to the longest with {@code padId}, keeping overrides, positions, visibility and
     * type ids. A batch gets a field as soon as one of its rows has it; the other rows then get what the
     * model would have used for them: the default numbering of {@code config} (BERT or RoBERTa) for
     * positions, every real token of the row for visibility, type 0 for segments. A batch with a visibility
     * matrix passes it [B,T,T] instead of a padding mask (the model takes one or the other).
     *
     * @param config the model's config, which decides the default position numbering; null means BERT's
     */
    public static BertInput padded(List<InputRow> rows, int padId, BertConfig config) {
        if (rows.isEmpty()) {
            throw new InfuseException("a batch needs at least one row");
        }
        int t = rows.stream().mapToInt(InputRow::length).max().orElseThrow();
        int b = rows.size();
        boolean anyPositions = rows.stream().anyMatch(r -> r.positions() != null);
        boolean anyVisibility = rows.stream().anyMatch(r -> r.visibility() != null);
        boolean anyTypes = rows.stream().anyMatch(r -> r.typeIds() != null);
        long[][] ids = new long[b][t];
        int[][] mask = anyVisibility ? null : new int[b][t];
        // Padding positions get id 0 (and types 0): any id inside the table would do, because no real token
        // attends to a padding token, so the padding's embedding reaches only the padding's own outputs.
        long[][] positions = anyPositions ? new long[b][t] : null;
        boolean[][][] visibility = anyVisibility ? new boolean[b][t][t] : null;
        long[][] types = anyTypes ? new long[b][t] : null;
        BertInput.Builder in = BertInput.builder();
        for (int i = 0; i < b; i++) {
            InputRow r = rows.get(i);
            int n = r.length();
            Arrays.fill(ids[i], padId);
            System.arraycopy(r.ids(), 0, ids[i], 0, n);
            if (mask != null) {
                Arrays.fill(mask[i], 0, n, 1);
            }
            if (positions != null) {
                long[] p = r.positions() != null ? r.positions() : defaultPositions(r.ids(), config);
                System.arraycopy(p, 0, positions[i], 0, n);
            }
            if (types != null && r.typeIds() != null) {
                System.arraycopy(r.typeIds(), 0, types[i], 0, n);
            }
            if (visibility != null) {
                fillVisibility(visibility[i], r, n, t);
            }
            for (Map.Entry<Integer, float[]> o : r.overrides().entrySet()) {
                in.optEmbedding(i, o.getKey(), o.getValue());
            }
        }
        if (rows.stream().anyMatch(r -> !r.extras().isEmpty())) {
            in.optContext(new ForwardContext(rows.stream().map(InputRow::extras).toList()));
        }
        return in.setInputIds(ids).optPaddingMask(mask).optPositionIds(positions).optVisibility(visibility)
                .optTokenTypeIds(types).build();
    }

    /**
     * One row of a [B,T,T] visibility: the row's own matrix (or all-true) in the top-left n×n block; real
     * tokens see no padding column. A padding token sees the row's real tokens, exactly what a [B,T] padding
     * mask would give it, so a batch means the same whichever of the two it carries.
     */
    private static void fillVisibility(boolean[][] out, InputRow r, int n, int t) {
        for (int q = 0; q < t; q++) {
            if (q < n && r.visibility() != null) {
                System.arraycopy(r.visibility()[q], 0, out[q], 0, n);
            } else {
                Arrays.fill(out[q], 0, n, true);
            }
        }
    }

    /**
     * The position ids {@link BertModel#forward} would give this row by itself: 0..n-1 for BERT; for RoBERTa
     * pad_token_id + 1 onwards, with a token equal to the padding id keeping the padding id (Hugging Face's
     * {@code create_position_ids_from_input_ids}).
     */
    static long[] defaultPositions(long[] ids, BertConfig config) {
        long[] p = new long[ids.length];
        if (config != null && config.isRoberta()) {
            long pad = config.padTokenId();
            long next = pad + 1;
            for (int j = 0; j < ids.length; j++) {
                p[j] = ids[j] == pad ? pad : next++;
            }
        } else {
            for (int j = 0; j < ids.length; j++) {
                p[j] = j;
            }
        }
        return p;
    }
}
