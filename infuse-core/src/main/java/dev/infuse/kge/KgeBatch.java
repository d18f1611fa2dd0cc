package dev.infuse.kge;

import dev.infuse.train.Batch;

/**
 * One training batch: B true triples and N entities that replace each one's head (every other batch) or tail.
 * The N negatives are shared by the batch, so a model with a product form scores them all with one (B, D) x (D, N)
 * matrix product and no (B, N, D) tensor is gathered.
 *
 * @param heads (B) entity rows
 * @param relations (B) relation rows
 * @param tails (B) entity rows
 * @param corruptHead whether the negatives replace the head (else the tail)
 * @param negatives (N) entity rows, shared by the batch's triples
 * @param known (B x N) row-major: whether negative j completes triple i's query into a known triple, which then
 *     does not count as a negative for it (RotatE's reference redraws such a negative; with shared ones it is left out)
 * @param weights (B) each triple's share of the loss, summing to 1 over a whole batch
 * @param regularise the weight of the whole-table regulariser in this micro-batch's loss: the number of micro-batches
 *     in the first one (the trainer averages them), 0 in the others, so the tables are penalised once a step
 */
public record KgeBatch(long[] heads, long[] relations, long[] tails, boolean corruptHead, long[] negatives, boolean[] known,
        float[] weights, float regularise) implements Batch {
    public int perTriple() {
        return negatives.length;
    }

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
        return heads.length * (1 + negatives.length);
    }
}
