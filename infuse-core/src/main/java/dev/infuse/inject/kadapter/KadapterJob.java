package dev.infuse.inject.kadapter;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code infuse kadapter train} was asked to do; names in errors are the flags'.
 *
 * @param labels what a sentence's pair is labelled with ({@link RelationExamples.Label})
 * @param minExamples labels with fewer sentences are dropped
 * @param saveEvery steps between checkpoints (the last step always saves)
 */
public record KadapterJob(String model, Path domain, Path output, KadapterSpec adapter, RelationExamples.Label labels, int minExamples,
        int maxSteps, int batchSize, int maxSeqLength, float lr, float warmupRatio, int saveEvery, long seed, boolean resume, boolean overwrite) {
    /** The reference's pretraining rate (run_pretrain_fac-adapter.sh). */
    public static final float LR = 5e-5f;
    /** Sentences held out to score the relation classifier at the end. */
    static final int DEV_MAX = 1000;

    public KadapterJob {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(labels, "labels");
        if (minExamples < 1 || maxSteps < 1 || batchSize < 1) {
            throw new InfuseException("--min-examples, --steps and --batch-size must be at least 1");
        }
        if (maxSeqLength < 8) {
            throw new InfuseException("--max-seq-length must be at least 8, found " + maxSeqLength);
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new InfuseException("--lr must be positive and finite, found " + lr);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new InfuseException("--warmup-ratio must be in [0, 1), found " + warmupRatio);
        }
    }

    /** The settings that change the numbers, for the run's identity and provenance. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("labels", labels.flag);
        m.put("min-examples", minExamples);
        m.put("steps", maxSteps);
        m.put("batch-size", batchSize);
        m.put("max-seq-length", maxSeqLength);
        m.put("lr", lr);
        m.put("warmup-ratio", warmupRatio);
        m.put("seed", seed);
        m.putAll(adapter.identity());
        return m;
    }
}
