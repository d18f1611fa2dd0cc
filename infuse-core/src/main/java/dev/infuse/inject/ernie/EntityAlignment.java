package dev.infuse.inject.ernie;

import dev.infuse.inject.TokenAligned;
import java.util.ArrayList;
import java.util.List;

/**
 * The entities a row's tokens are aligned with: token {@code positions[i]} (a mention's first token) carries the
 * knowledge vector of table row {@code rows[i]}. Kept in a row's extras under {@link #KEY}; ERNIE's fusion reads
 * it from the batch's context.
 */
public record EntityAlignment(int[] positions, int[] rows) implements TokenAligned {
    public static final String KEY = "ernie.entities";

    public EntityAlignment {
        if (positions.length != rows.length) {
            throw new IllegalArgumentException(positions.length + " positions for " + rows.length + " rows");
        }
    }

    public int size() {
        return positions.length;
    }

    @Override
    public EntityAlignment moved(int[] oldIndex) {
        List<int[]> kept = new ArrayList<>();
        for (int i = 0; i < oldIndex.length; i++) {
            for (int k = 0; k < positions.length; k++) {
                if (oldIndex[i] >= 0 && oldIndex[i] == positions[k]) {
                    kept.add(new int[] {i, rows[k]});
                }
            }
        }
        return new EntityAlignment(kept.stream().mapToInt(a -> a[0]).toArray(), kept.stream().mapToInt(a -> a[1]).toArray());
    }
}
