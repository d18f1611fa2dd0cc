package dev.infuse.inject.kepler;

import dev.infuse.InfuseException;
import dev.infuse.kge.Triples;
import dev.infuse.mask.Masker;
import java.util.Random;

/**
 * KEPLER's second batch stream: batch n is a function of (seed, n) alone, so a resumed run needs only n. The triples
 * are taken in epochs, each a fresh shuffle of the whole graph, so every triple is seen once per epoch (LIBERT's pair
 * stream samples with replacement; a graph, unlike WordNet's 200,000 pairs, is small enough to go round). Each triple
 * brings one corrupted head and one corrupted tail, drawn uniformly among the other entities, never the true one.
 */
final class TripleStream {
    /** Triples {@code rows} of the graph, with a corrupted head and a corrupted tail for each. */
    record Batch(int[] rows, int[] heads, int[] relations, int[] tails, int[] negativeHeads, int[] negativeTails) {
        int size() {
            return rows.length;
        }
    }

    private final Triples triples;
    private final int entities;
    private final int perBatch;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] order;

    TripleStream(Triples triples, int entities, int perBatch, long seed) {
        if (entities < 2) {
            throw new InfuseException("kepler: the graph has " + entities + " entity; corrupting a triple needs at least two");
        }
        this.triples = triples;
        this.entities = entities;
        this.perBatch = perBatch;
        this.seed = seed;
    }

    Batch batch(long n) {
        int k = perBatch;
        int[] rows = new int[k];
        int[] h = new int[k];
        int[] r = new int[k];
        int[] t = new int[k];
        int[] nh = new int[k];
        int[] nt = new int[k];
        Random rng = Masker.rngFor(seed + 7, n, 1);
        for (int i = 0; i < k; i++) {
            long p = n * k + i;
            int row = epochOrder(p / triples.size())[(int) (p % triples.size())];
            rows[i] = row;
            h[i] = triples.heads()[row];
            r[i] = triples.relations()[row];
            t[i] = triples.tails()[row];
            nh[i] = other(rng, h[i]);
            nt[i] = other(rng, t[i]);
        }
        return new Batch(rows, h, r, t, nh, nt);
    }

    /** Uniform among the entities other than {@code truth}. */
    private int other(Random rng, int truth) {
        int x = rng.nextInt(entities - 1);
        return x >= truth ? x + 1 : x;
    }

    /** The shuffle of epoch e (Fisher-Yates from (seed, e)); the last one is kept, since batches go through epochs in order. */
    private int[] epochOrder(long e) {
        if (e != cachedEpoch) {
            int[] o = new int[triples.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            Random rng = Masker.rngFor(seed + 7, e, 0);
            for (int i = o.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = o[i];
                o[i] = o[j];
                o[j] = tmp;
            }
            order = o;
            cachedEpoch = e;
        }
        return order;
    }
}
