package dev.infuse.kge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Filtered ranking on a crafted graph: five entities on a line (TransE-L1, dimension 1, entity i at position i,
 * one relation at 0), so d(q, e_i) = |q - i| and every rank can be counted by hand.
 */
class KgeRankingTest {
    static KgeModel line() {
        KgeConfig c = new KgeConfig(KgeConfig.Model.TRANSE, 1, 1, 1f, 1f);
        return new KgeModel(c, new float[] {0, 1, 2, 3, 4}, 5, new float[] {0}, 1);
    }

    static Triples triples(int[]... t) {
        int[] h = new int[t.length];
        int[] r = new int[t.length];
        int[] x = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            h[i] = t[i][0];
            r[i] = t[i][1];
            x[i] = t[i][2];
        }
        return new Triples(h, r, x);
    }

    @Test
    void aKnownTripleRankedAboveTheTrueOneIsFilteredOut() {
        // Test (e0, r, e2). Tail query q = 0: distances 0, 1, 2, 3, 4; e0 and e1 are closer than e2, and (e0, r, e1) is
        // known, so the filtered rank is 2 (e0 only). Head query q = 2: distances 2, 1, 0, 1, 2; e1, e2, e3 are closer
        // than e0, (e3, r, e2) is known, so the rank is 3; e4 ties with e0 at 2 and does not count.
        Triples test = triples(new int[] {0, 0, 2});
        Triples known = Triples.concat(test, triples(new int[] {0, 0, 1}, new int[] {3, 0, 2}));
        try (KgeModel m = line()) {
            LinkPrediction.Metrics filtered = LinkPrediction.evaluate(m, test, new KnownTriples(known, 1), null, false);
            assertEquals((1 / 2.0 + 1 / 3.0) / 2, filtered.mrr(), 1e-12);
            assertEquals(2.5, filtered.mr(), 1e-12);
            assertEquals(0.0, filtered.hits1());
            assertEquals(1.0, filtered.hits3());
            assertEquals(1.0, filtered.hits10());
            assertEquals(2, filtered.rankings());
            // Filtering only the test triple itself (the raw setting): ranks 3 and 4.
            LinkPrediction.Metrics raw = LinkPrediction.evaluate(m, test, new KnownTriples(test, 1), null, false);
            assertEquals((1 / 3.0 + 1 / 4.0) / 2, raw.mrr(), 1e-12);
            assertEquals(3.5, raw.mr(), 1e-12);
            assertEquals(0.5, raw.hits3(), 1e-12);
        }
    }

    @Test
    void tiesCountForTheTrueEntityAndOnlyStrictlyCloserOnesAreCounted() {
        float[] d = {1f, 2f, 2f, 2f, 0.5f};
        assertEquals(3, LinkPrediction.rank(d, 0, 5, 1, new int[0]), "1 + (e0 and e4 are strictly closer); e2 and e3 tie");
        assertEquals(2, LinkPrediction.rank(d, 0, 5, 1, new int[] {4}), "e4 filtered");
        assertEquals(5, LinkPrediction.rank(new float[] {0, Float.NaN, 0, 0, 0}, 0, 5, 1, new int[0]), "no distance ranks last");
    }

    @Test
    void manyQueriesInOneBatchRankAsEachAlone() {
        // Every (e_i, r, e_j) of the line: the batch path must give each query the rank it has alone.
        int[][] all = new int[25][];
        for (int i = 0; i < 25; i++) {
            all[i] = new int[] {i / 5, 0, i % 5};
        }
        Triples test = triples(all);
        KnownTriples known = new KnownTriples(triples(new int[] {0, 0, 1}, new int[] {3, 0, 2}), 1);
        try (KgeModel m = line()) {
            LinkPrediction.Metrics together = LinkPrediction.evaluate(m, test, known, null, false);
            double mrr = 0;
            for (int[] t : all) {
                mrr += LinkPrediction.evaluate(m, triples(t), known, null, false).mrr();
            }
            assertEquals(mrr / 25, together.mrr(), 1e-12);
        }
    }
}
