package dev.infuse.kge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Progress;
import dev.infuse.io.StopSignal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Link prediction in the standard filtered protocol (Bordes et al. 2013): for each test triple, rank the true
 * tail among all entities for (h, r, ?), and the true head for (?, r, t), skipping every other entity that makes a
 * known triple; MRR, MR and Hits@k over both directions together.
 *
 * <p>Ties: the rank is 1 + the number of unfiltered candidates with a strictly smaller distance, so a tie counts
 * in the true entity's favour. A model that gives every entity the same distance therefore ranks everything first;
 * with float distances of trained embeddings exact ties are rare (RotatE's reference sorts instead, which breaks
 * them by position).
 *
 * <p>Speed: a batch of queries is scored against the whole entity table at once, (Q, E), by the model's
 * {@link Scoring#distances}; the ranking itself is a pass over each row in Java.
 */
public final class LinkPrediction {
    /** Elements of the (Q, E, De) tensor a broadcasting model may build per query batch: about 128 MB. */
    private static final long BROADCAST_BUDGET = 32L << 20;

    public record Metrics(double mrr, double mr, double hits1, double hits3, double hits10, int rankings) {
        /** The five numbers under the names {@code --json} promises, and nothing else. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mrr", mrr);
            m.put("mr", mr);
            m.put("hits@1", hits1);
            m.put("hits@3", hits3);
            m.put("hits@10", hits10);
            return m;
        }
    }

    private LinkPrediction() {}

    /**
     * @param known every triple to filter (train, valid and test, as the user lists them)
     * @param progressLabel a progress line's label, or null for none
     * @param stoppable whether a signal may stop the evaluation between batches (not inside a training step's listener)
     */
    public static Metrics evaluate(KgeModel model, Triples test, KnownTriples known, String progressLabel, boolean stoppable) {
        Tensors.noGrad();
        int entities = model.entityCount();
        int perBatch = model.scoring().broadcasts()
                ? (int) Math.max(1, Math.min(256, BROADCAST_BUDGET / ((long) entities * model.config().entityColumns())))
                : 256;
        long[] ranks = new long[2 * test.size()];
        try (Progress p = progressLabel == null ? null : new Progress(progressLabel, ranks.length, "queries");
                NDManager m = Engines.newManager()) {
            int done = 0;
            for (boolean corruptHead : new boolean[] {false, true}) {
                for (int from = 0; from < test.size(); from += perBatch) {
                    int to = Math.min(test.size(), from + perBatch);
                    rankBatch(m, model, test, known, from, to, corruptHead, ranks, done);
                    done += to - from;
                    if (p != null) {
                        p.step(to - from);
                    }
                    if (stoppable) {
                        int d = done;
                        StopSignal.check(() -> "after " + d + " of " + ranks.length + " queries; nothing was written");
                    }
                }
            }
        }
        return summarise(ranks);
    }

    /** Ranks queries [from, to) of one direction into {@code ranks[at...]}. */
    private static void rankBatch(NDManager parent, KgeModel model, Triples test, KnownTriples known, int from, int to, boolean corruptHead,
            long[] ranks, int at) {
        int q = to - from;
        int entities = model.entityCount();
        long[] fixed = new long[q];
        long[] rel = new long[q];
        for (int i = 0; i < q; i++) {
            fixed[i] = corruptHead ? test.tails()[from + i] : test.heads()[from + i];
            rel[i] = test.relations()[from + i];
        }
        float[] d;
        try (NDManager s = parent.newSubManager()) {
            NDArray all = model.entities().reshape(1, entities, model.config().entityColumns()); // (1, E, De), a view
            all.attach(s); // so what is computed from it is freed with s, not kept with the table
            NDArray query = model.scoring().query(KgeModel.lookup(Tensors.copyOf(s, fixed, new Shape(q, 1)), model.entities()),
                    KgeModel.lookup(Tensors.copyOf(s, rel, new Shape(q, 1)), model.relations()), corruptHead); // (Q, 1, De)
            d = model.scoring().distances(query, all).toFloatArray(); // (Q, E) row-major
        }
        for (int i = 0; i < q; i++) {
            int answer = corruptHead ? test.heads()[from + i] : test.tails()[from + i];
            int[] skip = known.answers(test, from + i, corruptHead);
            ranks[at + i] = rank(d, i * entities, entities, answer, skip);
        }
    }

    /** 1 + the candidates strictly closer than {@code answer}, known answers other than it skipped. */
    static long rank(float[] d, int offset, int entities, int answer, int[] skip) {
        float mine = d[offset + answer];
        if (Float.isNaN(mine)) {
            return entities; // no distance: ranked last rather than first
        }
        long better = 0;
        for (int j = 0; j < entities; j++) {
            if (d[offset + j] < mine && j != answer && !KnownTriples.contains(skip, j)) {
                better++;
            }
        }
        return 1 + better;
    }

    static Metrics summarise(long[] ranks) {
        double rr = 0;
        double r = 0;
        int h1 = 0;
        int h3 = 0;
        int h10 = 0;
        for (long k : ranks) {
            rr += 1.0 / k;
            r += k;
            h1 += k <= 1 ? 1 : 0;
            h3 += k <= 3 ? 1 : 0;
            h10 += k <= 10 ? 1 : 0;
        }
        int n = ranks.length;
        return new Metrics(rr / n, r / n, (double) h1 / n, (double) h3 / n, (double) h10 / n, n);
    }
}
