package dev.infuse.kge;

import dev.infuse.InfuseException;
import dev.infuse.train.BatchSource;
import dev.infuse.train.data.Cursor;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batches of training triples with their negatives: head-corrupting and tail-corrupting batches alternate, each kind
 * walking its own shuffled epochs over the triples, as in RotatE's reference. Unlike the reference, which draws N
 * entities for each triple, a batch draws N uniformly once and every triple is scored against them: the scores are
 * then one matrix product for DistMult and TransE-L2, and the others gather N rows instead of B x N. A negative that
 * is a known answer of a triple's query is marked, and left out of that triple's loss.
 *
 * <p>Batch n is a function of (seed, n) alone: its kind is n's parity, its triples come from epoch and position
 * n / 2 of that kind's stream, its negatives from a generator seeded by (seed, n). The cursor's index is n, so a
 * resume is a seek.
 *
 * <p>A batch is handed out as {@code chunks} consecutive micro-batches, which the trainer accumulates into one
 * step: at the reference's size (512 triples x 1,024 negatives x 500 columns) a broadcast tensor is 1 GB, and a
 * step over tensors that size ran about five times slower per element than one over 64 MB tensors (page faults
 * and cache misses). Each chunk's weights are the batch's, times the number of chunks, since the trainer averages
 * the chunks' losses.
 */
public final class KgeBatches implements BatchSource<KgeBatch> {
    private final Triples train;
    private final int entityCount;
    private final KnownTriples known;
    private final int batchSize;
    private final int negatives;
    private final long seed;
    private final float[] tripleWeights;
    private final int perEpoch;
    private final int chunks;
    private final Map<Long, int[]> orders = new HashMap<>(); // (kind, epoch) -> order; at most two live
    private long n;
    private KgeBatch whole; // batch n - 1, being handed out in chunks
    private int chunk;

    /**
     * @param known triples whose answers are not negatives (the training triples), or null to mark none
     * @param tripleWeights each training triple's weight before normalisation per batch
     * @param chunks micro-batches per batch, the trainer's accumulation
     */
    public KgeBatches(Triples train, int entityCount, KnownTriples known, int batchSize, int negatives, long seed, float[] tripleWeights,
            int chunks) {
        if (chunks < 1 || chunks > batchSize) {
            throw new IllegalArgumentException("chunks must be in [1, batch size], found " + chunks);
        }
        this.chunks = chunks;
        this.train = train;
        this.entityCount = entityCount;
        this.known = known;
        this.batchSize = batchSize;
        this.negatives = negatives;
        this.seed = seed;
        this.tripleWeights = tripleWeights;
        this.perEpoch = (train.size() + batchSize - 1) / batchSize;
    }

    /**
     * word2vec-style weights of RotatE's reference: 1 / sqrt(count(h, r) + count(t, r^-1)), each count starting at
     * 4, so triples of frequent (entity, relation) pairs do not dominate the loss.
     */
    public static float[] subsamplingWeights(Triples t) {
        Map<Long, Integer> count = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            count.merge(pair(t.heads()[i], t.relations()[i], false), 1, Integer::sum);
            count.merge(pair(t.tails()[i], t.relations()[i], true), 1, Integer::sum);
        }
        float[] w = new float[t.size()];
        for (int i = 0; i < t.size(); i++) {
            // The reference's counts start at 4 for a pair's first triple and add 1 for each further one: 3 + occurrences.
            int c = 3 + count.get(pair(t.heads()[i], t.relations()[i], false)) + 3 + count.get(pair(t.tails()[i], t.relations()[i], true));
            w[i] = (float) (1 / Math.sqrt(c));
        }
        return w;
    }

    private static long pair(int entity, int relation, boolean inverse) {
        return ((long) entity << 32) | ((long) relation << 1) | (inverse ? 1 : 0);
    }

    public static float[] uniformWeights(Triples t) {
        float[] w = new float[t.size()];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /** Micro-batches per batch such that a (triples, negatives, columns) tensor stays near {@code budget} elements. */
    public static int chunksFor(int batchSize, int negatives, int columns, long budget) {
        long whole = (long) batchSize * negatives * columns;
        return (int) Math.min(batchSize, Math.max(1, (whole + budget - 1) / budget));
    }

    @Override
    public KgeBatch next() {
        if (whole == null || chunk == chunks) {
            whole = batch();
            chunk = 0;
        }
        int per = (whole.size() + chunks - 1) / chunks;
        int from = Math.min(whole.size(), chunk * per);
        int to = Math.min(whole.size(), from + per);
        chunk++;
        if (chunks == 1) {
            return whole;
        }
        float[] w = java.util.Arrays.copyOfRange(whole.weights(), from, to);
        for (int i = 0; i < w.length; i++) {
            w[i] *= chunks; // the trainer divides each chunk's loss by the number of chunks
        }
        int neg = whole.perTriple();
        return new KgeBatch(java.util.Arrays.copyOfRange(whole.heads(), from, to), java.util.Arrays.copyOfRange(whole.relations(), from, to),
                java.util.Arrays.copyOfRange(whole.tails(), from, to), whole.corruptHead(), whole.negatives(),
                java.util.Arrays.copyOfRange(whole.known(), from * neg, to * neg), w, chunk == 1 ? chunks : 0f);
    }

    /** Batch n, whole. */
    private KgeBatch batch() {
        boolean corruptHead = n % 2 == 0; // the reference's iterator starts with a head batch
        long k = n / 2;
        long epoch = k / perEpoch;
        int at = (int) (k % perEpoch);
        int[] order = order(corruptHead, epoch);
        int from = at * batchSize;
        int b = Math.min(train.size(), from + batchSize) - from;
        long[] h = new long[b];
        long[] r = new long[b];
        long[] t = new long[b];
        float[] w = new float[b];
        double wSum = 0;
        long[] neg = new long[negatives];
        SplittableRandom rng = new SplittableRandom(mix(seed, 1, n));
        for (int j = 0; j < negatives; j++) {
            neg[j] = rng.nextInt(entityCount);
        }
        boolean[] isKnown = new boolean[b * negatives];
        for (int i = 0; i < b; i++) {
            int x = order[from + i];
            h[i] = train.heads()[x];
            r[i] = train.relations()[x];
            t[i] = train.tails()[x];
            w[i] = tripleWeights[x];
            wSum += w[i];
            int[] answers = known == null ? new int[0] : known.answers(train, x, corruptHead);
            for (int j = 0; answers.length > 0 && j < negatives; j++) {
                isKnown[i * negatives + j] = KnownTriples.contains(answers, (int) neg[j]);
            }
        }
        for (int i = 0; i < b; i++) {
            w[i] = (float) (w[i] / wSum);
        }
        n++;
        return new KgeBatch(h, r, t, corruptHead, neg, isKnown, w, 1f);
    }

    private int[] order(boolean corruptHead, long epoch) {
        long key = epoch * 2 + (corruptHead ? 1 : 0);
        int[] o = orders.get(key);
        if (o == null) {
            orders.keySet().removeIf(old -> (old & 1) == (key & 1)); // the kind's previous epoch is done
            o = new int[train.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(mix(seed, 2 + (corruptHead ? 1 : 0), epoch));
            for (int i = o.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = o[i];
                o[i] = o[j];
                o[j] = tmp;
            }
            orders.put(key, o);
        }
        return o;
    }

    /** Unrelated seeds for neighbouring (stream, number) pairs: SplittableRandom's own seeds would overlap. */
    static long mix(long seed, long stream, long number) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + number * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Batches of one kind per epoch: how many steps one pass over the triples in both directions takes, halved. */
    public int perEpoch() {
        return perEpoch;
    }

    @Override
    public Cursor cursor() {
        return new Cursor(n / 2 / perEpoch, n, 0, 0);
    }

    @Override
    public void seek(Cursor c) {
        if (c.passage() != 0 || c.token() != 0 || c.epoch() != c.index() / 2 / perEpoch) {
            throw new InfuseException("cannot resume: the checkpoint's data cursor (epoch " + c.epoch() + ", batch " + c.index()
                    + ") was not written for these triples and this batch size");
        }
        n = c.index();
        whole = null;
    }
}
