package dev.infuse.inject.libert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.mask.Masker;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.io.HostTensor;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import dev.infuse.train.LinearHead;
import dev.infuse.train.Losses;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LIBERT's lexical-relation classification: a pair batch of its own beside every MLM micro-batch, through the same
 * encoder, a linear head (H → 2) on [CLS], cross-entropy. The paper alternates the two kinds of batch; adding the
 * pair loss to each MLM step gives every step both signals, with the same expected gradient over two steps. The
 * pair batches are drawn from (seed, the number of pair batches so far), a counter kept in the checkpoint, so a
 * resumed run draws the same pairs.
 */
final class LibertObjective implements Objective {
    static final String WEIGHT = "libert.head.weight";
    static final String BIAS = "libert.head.bias";
    static final String COUNTER = "libert.batches";

    private final List<String[]> relations;
    private final Tokenizer tok;
    private final int positives;
    private final long seed;
    private final LinearHead head; // H -> 2
    private long batches;

    LibertObjective(List<String[]> relations, Tokenizer tok, int hidden, int positives, long seed) {
        this.relations = relations;
        this.tok = tok;
        this.positives = positives;
        this.seed = seed;
        this.head = new LinearHead("libert.head", 2, hidden, seed);
    }

    @Override
    public NDArray loss(MlmForward f) {
        BertModel model = f.model();
        NDManager s = f.manager();
        Random rng = Masker.rngFor(seed + 5, batches, 0);
        if (f.training()) {
            batches++;
        }
        Map<String, float[]> embeddings = new HashMap<>(); // this batch's words, each looked up once
        PairBatch batch = PairBatch.draw(relations, positives, rng, (w, candidates) -> nearest(model, w, candidates, embeddings));
        BertInput in = encode(batch.pairs());
        NDArray cls = model.forward(s, in, f.training()).lastHidden().get(":, 0, :"); // (P, H)
        NDArray logits = head.apply(cls); // (P, 2)
        return Losses.crossEntropy(logits, Tensors.copyOf(s, batch.labels(), new Shape(batch.labels().length))); // ()
    }

    /** {@code [CLS] w1 [SEP] w2 [SEP]} rows, w2's segment 1, right-padded. */
    private BertInput encode(List<String[]> pairs) {
        int n = pairs.size();
        Encoding[] enc = new Encoding[n];
        int t = 0;
        for (int i = 0; i < n; i++) {
            enc[i] = tok.encodePair(pairs.get(i)[0], pairs.get(i)[1]);
            t = Math.max(t, enc[i].size());
        }
        long[][] ids = new long[n][t];
        long[][] types = new long[n][t];
        int[][] mask = new int[n][t];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(ids[i], tok.padId());
            for (int j = 0; j < enc[i].size(); j++) {
                ids[i][j] = enc[i].ids()[j];
                types[i][j] = enc[i].typeIds()[j];
                mask[i][j] = 1;
            }
        }
        return BertInput.builder().setInputIds(ids).optTokenTypeIds(types).optPaddingMask(mask).build();
    }

    /** The candidate whose mean input embedding has the highest cosine with {@code word}'s. */
    private String nearest(BertModel model, String word, List<String> candidates, Map<String, float[]> cache) {
        float[] a = embedding(model, word, cache);
        String best = candidates.get(0);
        double bestSim = Double.NEGATIVE_INFINITY;
        for (String c : candidates) {
            double sim = cosine(a, embedding(model, c, cache));
            if (sim > bestSim) {
                bestSim = sim;
                best = c;
            }
        }
        return best;
    }

    private float[] embedding(BertModel model, String word, Map<String, float[]> cache) {
        return cache.computeIfAbsent(word, w -> {
            Encoding e = tok.encode(w);
            long[] ids = java.util.stream.IntStream.range(0, e.size()).filter(i -> !e.special()[i]).mapToLong(i -> e.ids()[i]).toArray();
            try (NDManager m = Engines.newManager()) {
                NDArray idx = Tensors.copyOf(m, ids, new Shape(ids.length));
                // the lookup lands in this scope (its ids come first), not in the weights' manager
                NDArray rows = idx.getNDArrayInternal().embedding(idx, model.wordEmbeddings(), ai.djl.ndarray.types.SparseFormat.DENSE)
                        .singletonOrThrow(); // (K, H)
                return rows.mean(new int[] {0}).toFloatArray(); // (H)
            }
        });
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(Math.max(na * nb, 1e-30));
    }

    @Override
    public Map<String, NDArray> parameters() {
        return head.parameters();
    }

    @Override
    public Map<String, HostTensor> checkpointState() {
        return Map.of(COUNTER, new HostTensor(new long[] {2}, FloatBuffer.wrap(new float[] {(float) (batches >>> 24), (float) (batches & 0xFFFFFF)})));
    }

    @Override
    public void restoreCheckpointState(Map<String, HostTensor> state) {
        HostTensor t = state.get(COUNTER);
        if (t != null) {
            batches = ((long) t.data().get(0) << 24) | (long) t.data().get(1);
        }
    }

    @Override
    public void close() {
        head.close();
    }
}
