package dev.infuse.train;

import dev.infuse.mask.MaskedExample;
import dev.infuse.model.BertInput;
import java.util.ArrayList;
import java.util.List;

/**
 * One micro-batch for the MLM objective: padded inputs, and the flat positions {@code b * T + t} the loss
 * reads with their labels, so the vocabulary projection runs only where a prediction is scored.
 *
 * @param tokens real (non-padding) tokens, for throughput
 * @param linked entity mentions for objectives that read them (ZEO's triplets); empty for plain MLM
 */
public record MlmBatch(BertInput input, long[] positions, long[] labels, int tokens, List<Linked> linked) implements Batch {
    /**
     * A linked mention: token span {@code [start, end)} of batch row {@code row}, its entity, and a seed for
     * whatever the objective draws for it (negatives), fixed by (run seed, epoch, instance, mention) so a
     * resumed run draws the same; {@code replaced} when an objective swapped it in (WKLM's label).
     */
    public record Linked(int row, int start, int end, String entity, long seed, boolean replaced) {
        public Linked(int row, int start, int end, String entity, long seed) {
            this(row, start, end, entity, seed, false);
        }
    }

    public MlmBatch(BertInput input, long[] positions, long[] labels, int tokens) {
        this(input, positions, labels, tokens, List.of());
    }

    public MlmBatch {
        linked = linked == null ? List.of() : List.copyOf(linked);
        if (positions.length != labels.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + labels.length + " labels");
        }
    }

    /** The same batch fed to the encoder as {@code in} (its tokens with a context the objectives added). */
    public MlmBatch withInput(BertInput in) {
        return in == input ? this : new MlmBatch(in, positions, labels, tokens, linked);
    }

    @Override
    public int predicted() {
        return positions.length;
    }

    /** Right-pads to the longest example with {@code padId} and masks the padding out of attention. */
    public static MlmBatch of(List<MaskedExample> examples, int padId) {
        return of(examples, padId, List.of());
    }

    public static MlmBatch of(List<MaskedExample> examples, int padId, List<Linked> linked) {
        int b = examples.size();
        int t = examples.stream().mapToInt(e -> e.inputIds().length).max().orElseThrow();
        long[][] ids = new long[b][t];
        int[][] mask = new int[b][t];
        List<Long> pos = new ArrayList<>();
        List<Long> lab = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < b; i++) {
            MaskedExample e = examples.get(i);
            java.util.Arrays.fill(ids[i], padId);
            for (int j = 0; j < e.inputIds().length; j++) {
                ids[i][j] = e.inputIds()[j];
                mask[i][j] = 1;
                if (e.labels()[j] != MaskedExample.IGNORE) {
                    pos.add((long) i * t + j);
                    lab.add((long) e.labels()[j]);
                }
            }
            tokens += e.inputIds().length;
        }
        BertInput in = BertInput.builder().setInputIds(ids).optPaddingMask(mask).build();
        return new MlmBatch(in, pos.stream().mapToLong(Long::longValue).toArray(), lab.stream().mapToLong(Long::longValue).toArray(),
                tokens, linked);
    }
}
