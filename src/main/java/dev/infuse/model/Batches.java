package dev.infuse.model;

import java.util.List;
import java.util.Map;

/** Builds padded batches from rows of different lengths. */
public final class Batches {
    private Batches() {}

    /** Right-pads every row to the longest with {@code padId}, masks the padding out and keeps overrides. */
    public static BertInput padded(List<InputRow> rows, int padId) {
        int t = rows.stream().mapToInt(InputRow::length).max().orElseThrow();
        long[][] ids = new long[rows.size()][t];
        int[][] mask = new int[rows.size()][t];
        BertInput.Builder in = BertInput.builder();
        for (int b = 0; b < rows.size(); b++) {
            InputRow r = rows.get(b);
            java.util.Arrays.fill(ids[b], padId);
            System.arraycopy(r.ids(), 0, ids[b], 0, r.length());
            java.util.Arrays.fill(mask[b], 0, r.length(), 1);
            for (Map.Entry<Integer, float[]> o : r.overrides().entrySet()) {
                in.optEmbedding(b, o.getKey(), o.getValue());
            }
        }
        return in.setInputIds(ids).optPaddingMask(mask).build();
    }
}
