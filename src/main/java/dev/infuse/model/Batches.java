package dev.infuse.model;

import java.util.List;

/** Builds padded batches from token id rows of different lengths. */
public final class Batches {
    private Batches() {}

    /** Right-pads every row to the longest with {@code padId} and masks the padding out. */
    public static BertInput padded(List<long[]> rows, int padId) {
        int t = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        long[][] ids = new long[rows.size()][t];
        int[][] mask = new int[rows.size()][t];
        for (int b = 0; b < rows.size(); b++) {
            long[] r = rows.get(b);
            java.util.Arrays.fill(ids[b], padId);
            System.arraycopy(r, 0, ids[b], 0, r.length);
            java.util.Arrays.fill(mask[b], 0, r.length, 1);
        }
        return BertInput.builder().setInputIds(ids).optPaddingMask(mask).build();
    }
}
