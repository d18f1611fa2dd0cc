package dev.infuse.kge;

import dev.infuse.train.Batch;

/**
 * One training batch: B true triples, and for each N corrupted ones that replace its head (every other batch)
 * or its tail.
 *
 * @param heads (B) entity rows
 * @param relations (B) relation rows
 * @param tails (B) entity rows
 * @param corruptHead whether the negatives replace the head (else the tail)
 * @param negatives (B x N) entity rows, row-major
 * @param weights (B) each triple's share of the loss, summing to 1 over a whole batch
 * @param regularise the weight of the whole-table regulariser in this micro-batch's loss: the number of micro-batches
 *     in the first one (the trainer averages them), 0 in the others, so the tables are penalised once a step
 */
public record KgeBatch(long[] heads, long[] relations, long[] tails, boolean corruptHead, long[] negatives, int perTriple,
        float[] weights, float regularise) implements Batch {
    public int size() {
        return heads.length;
    }

    /** Counted by the progress line as triples per second. */
    @Override
    public int tokens() {
        return heads.length;
    }

    @Override
    public int predicted() {
        return heads.length * (1 + perTriple);
    }
}
