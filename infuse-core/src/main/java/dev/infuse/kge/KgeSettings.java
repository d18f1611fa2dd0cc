package dev.infuse.kge;

import dev.infuse.InfuseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code kge train} trains. The defaults of TransE and RotatE are settings measured on this project's 2-core
 * machine to reach the published WN18RR numbers (data/wn18rr/README.md: test MRR .223 for TransE in 41 minutes and
 * .472 for RotatE in 90, against the RotatE paper's .226 and .476); DistMult's are the settings of RotatE's reference
 * implementation ({@code best_config.sh} of github.com/DeepGraphLearning/KnowledgeGraphEmbedding), unmeasured here:
 *
 * <pre>
 *             dim   batch  neg   gamma  alpha  lr      steps  other
 *   TransE    200   512    256   6      0.5    1e-3    20k    L1           (reference: 500, 1024 negatives, 5e-5, 80k)
 *   DistMult  1000  512    1024  (200)  1.0    0.002   80k    L3 regulariser 5e-6 on the halved loss
 *   RotatE    250c  512    256   6      0.5    5e-4    20k                 (reference: 500c, 1024 negatives, 5e-5, 80k)
 * </pre>
 *
 * The reference's settings need 23 to 115 hours on 2 cores; a quarter of the steps at ten (RotatE) or twenty (TransE) times the rate, with
 * smaller tables and fewer negatives, reach the same test MRR in under two hours. All use self-adversarial sampling,
 * subsampling weights, negatives masked where they make a training triple, Adam without decay or clipping, and the
 * reference's schedule (the rate drops to a tenth at half the steps). The tables start uniform in +-(gamma + 2) / dim.
 * DistMult's score has no margin in the reference (its gamma of 200 only sets that range), so its margin here is 0 and
 * its range 202 / 1000; and since the reference halves the loss the regulariser is added to, the same balance here is
 * 1e-5.
 *
 * @param norm TransE's distance, 1 or 2 (0 for the other models)
 * @param alpha the self-adversarial temperature; 0 draws weights uniformly
 * @param subsampling weight each triple as the reference does, else uniformly
 * @param l3 the L3 regulariser's weight
 * @param saveEvery steps between checkpoints (0: only at the end and when stopped)
 * @param validEvery steps between evaluations on --valid (0: only at the end)
 * @param microBatch triples per micro-batch, 0 to size them by {@link #CHUNK_BUDGET}
 */
public record KgeSettings(KgeConfig.Model model, int norm, int dimension, int batchSize, int negatives, float gamma, float alpha, float lr,
        int steps, long seed, boolean subsampling, float l3, float initRange, int saveEvery, int validEvery, int microBatch) {
    public KgeSettings {
        atLeast("--micro-batch", microBatch, 0);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--negatives", negatives, 1);
        atLeast("--steps", steps, 1);
        atLeast("--save-every", saveEvery, 0);
        atLeast("--valid-every", validEvery, 0);
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new InfuseException("--lr must be positive and finite, found " + lr);
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new InfuseException("--alpha must be 0 (uniform) or positive, found " + alpha);
        }
        if (!(l3 >= 0) || !Float.isFinite(l3)) {
            throw new InfuseException("--l3 must be 0 (off) or positive, found " + l3);
        }
    }

    private static void atLeast(String flag, int value, int min) {
        if (value < min) {
            throw new InfuseException(flag + " must be at least " + min + ", found " + value);
        }
    }

    /** The default settings for {@code model} (see above), with {@code seed}. */
    public static KgeSettings defaults(KgeConfig.Model model, long seed) {
        return switch (model) {
            case TRANSE -> new KgeSettings(model, 1, 200, 512, 256, 6f, 0.5f, 1e-3f, 20_000, seed, true, 0f, 8f / 200, 1000, 10_000, 0);
            case DISTMULT -> new KgeSettings(model, 0, 1000, 512, 1024, 0f, 1f, 0.002f, 80_000, seed, true, 1e-5f, 202f / 1000, 1000, 10_000, 0);
            case ROTATE -> new KgeSettings(model, 0, 250, 512, 256, 6f, 0.5f, 5e-4f, 20_000, seed, true, 0f, 8f / 250, 1000, 10_000, 0);
        };
    }

    /** The reference's initialisation range for a margin and size: (gamma + 2) / dim, DistMult's from its gamma of 200. */
    public static float initRange(KgeConfig.Model model, float gamma, int dimension) {
        return (model == KgeConfig.Model.DISTMULT ? 202f : gamma + 2f) / dimension;
    }

    /** Elements of the largest (triples, negatives, columns) tensor a micro-batch may make: 256 MB of floats. */
    static final long CHUNK_BUDGET = 1L << 26;

    /** Micro-batches per batch (see {@link KgeBatches}); a function of the identity's settings, so a resume gets the same. */
    public int chunks() {
        if (microBatch > 0) {
            return (batchSize + Math.min(microBatch, batchSize) - 1) / Math.min(microBatch, batchSize);
        }
        if (!Scoring.of(config()).broadcasts()) {
            // A product form never makes a (B, N, D) tensor, and each micro-batch would cost a pass over the dense table gradient.
            return 1;
        }
        return KgeBatches.chunksFor(batchSize, negatives, config().entityColumns(), CHUNK_BUDGET);
    }

    public KgeConfig config() {
        return new KgeConfig(model, norm, dimension, gamma, initRange);
    }

    /** What decides the numbers: a resume must match all of it (when files are written, and evaluated, does not). */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.id());
        m.put("norm", norm);
        m.put("dimension", dimension);
        m.put("batch-size", batchSize);
        m.put("negatives", negatives);
        m.put("gamma", gamma);
        m.put("alpha", alpha);
        m.put("lr", lr);
        m.put("steps", steps);
        m.put("seed", seed);
        m.put("weighting", subsampling ? "subsampling" : "uniform");
        m.put("l3", l3);
        m.put("init-range", initRange);
        m.put("micro-batches", chunks()); // the gradient's summation order: same settings, same bytes
        return m;
    }
}
