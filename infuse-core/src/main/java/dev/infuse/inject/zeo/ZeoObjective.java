package dev.infuse.inject.zeo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertModel;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import dev.infuse.train.Trainer;
import java.util.List;
import java.util.Random;

/**
 * ZEO's joint objective for a masked LM, run by the ordinary trainer.
 *
 * <ul>
 *   <li>inject 0: MLM only (the run's masking; entity masking by default).
 *   <li>inject 1: triplet only, on unmasked text.
 *   <li>inject 2: MLM + W * triplet, both from ONE forward pass over the masked text. With entity masking a
 *       mention is often hidden, so its anchor is the model's contextual guess of the entity, which is
 *       exactly what should move toward the entity's knowledge vector; and one pass costs half of two.
 * </ul>
 *
 * <p>Anchor: the mean of final hidden states over the mention's tokens. Positive: the entity's knowledge
 * vector. Negatives: vectors of entities of another type. Positives and negatives are copied from Java
 * memory into fresh arrays each step, without gradient: the vectors are constants, only the model moves.
 */
public final class ZeoObjective implements Objective {
    /** Linked mentions per window at most, as the reference. */
    public static final int MAX_MENTIONS = 10;

    private final int inject;
    private final float weight;
    private final int negatives;
    private final KnowledgeVectors vectors; // null for inject 0
    private final NegativeSampler sampler; // null for inject 0

    ZeoObjective(int inject, float weight, int negatives, KnowledgeVectors vectors, NegativeSampler sampler) {
        this.inject = inject;
        this.weight = weight;
        this.negatives = negatives;
        this.vectors = vectors;
        this.sampler = sampler;
    }

    @Override
    public boolean masks() {
        return inject != 1;
    }

    @Override
    public int linksPerInstance() {
        return inject == 0 ? 0 : MAX_MENTIONS;
    }

    @Override
    public boolean links(String entity) {
        return vectors != null && vectors.rowOf(entity) >= 0;
    }

    @Override
    public NDArray loss(MlmForward f) {
        MlmBatch batch = f.batch();
        BertModel model = f.model();
        NDManager s = f.manager();
        boolean lm = inject != 1 && batch.predicted() > 0;
        boolean contrast = inject != 0 && !batch.linked().isEmpty();
        if (!lm && !contrast) {
            return null;
        }
        NDArray hidden = f.lastHidden(); // (B, T, H)
        NDArray mlm = lm ? Trainer.mlmLoss(model, s, batch, hidden) : null; // ()
        if (!contrast) {
            return mlm;
        }
        NDArray triplet = triplet(s, batch, hidden); // ()
        if (inject == 1) {
            return triplet;
        }
        NDArray weighted = Tensors.scale(triplet, weight);
        return mlm == null ? weighted : mlm.add(weighted);
    }

    /** The triplet term alone: every linked mention against each of its sampled negatives. */
    NDArray triplet(NDManager s, MlmBatch batch, NDArray hidden) {
        int b = batch.input().batchSize();
        int t = batch.input().length();
        int h = vectors.hidden();
        List<MlmBatch.Linked> links = batch.linked();
        int n = links.size() * negatives; // triplets, mention-major
        float[] pool = new float[n * b * t]; // (N, B*T): row k averages mention k / negatives over its tokens
        int[] pos = new int[n];
        int[] neg = new int[n];
        for (int m = 0; m < links.size(); m++) {
            MlmBatch.Linked l = links.get(m);
            int row = vectors.rowOf(l.entity());
            int[] drawn = sampler.sample(row, negatives, new Random(l.seed()));
            float share = 1f / (l.end() - l.start());
            for (int j = 0; j < negatives; j++) {
                int k = m * negatives + j;
                java.util.Arrays.fill(pool, k * b * t + l.row() * t + l.start(), k * b * t + l.row() * t + l.end(), share);
                pos[k] = row;
                neg[k] = drawn[j];
            }
        }
        float[] p = new float[n * h];
        float[] q = new float[n * h];
        vectors.gather(pos, p);
        vectors.gather(neg, q);
        NDArray weights = Tensors.copyOf(s, pool, new Shape(n, (long) b * t));
        NDArray anchor = weights.matMul(hidden.reshape(b * t, h)); // (N, H)
        return Triplet.loss(anchor, Tensors.copyOf(s, p, new Shape(n, h)), Tensors.copyOf(s, q, new Shape(n, h))); // ()
    }
}
