package dev.infuse.train;

import dev.infuse.InfuseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the trainer runs. Every value is a flag of {@code infuse pretrain}; the names in errors are the flags'.
 *
 * @param batchSize instances per micro-batch
 * @param accumulate micro-batches per optimizer step; the effective batch is their product
 * @param lr peak learning rate, reached at the end of warm-up
 * @param warmupSteps optimizer steps of linear warm-up from 0
 * @param clipNorm the largest global gradient norm; 0 turns clipping off
 * @param saveEvery optimizer steps between checkpoints; 0 saves only at the end
 * @param freeze which parameters train
 */
public record TrainSettings(int batchSize, int maxSeqLength, float lr, int warmupSteps, LrSchedule.Kind schedule, float clipNorm,
        int accumulate, Freeze freeze, int saveEvery, int maxSteps, long seed, float weightDecay, double mlmProbability) {

    public TrainSettings {
        atLeast("--batch-size", batchSize, 1);
        atLeast("--max-seq-length", maxSeqLength, 3);
        atLeast("--accumulate", accumulate, 1);
        atLeast("--warmup", warmupSteps, 0);
        atLeast("--save-every", saveEvery, 0);
        atLeast("--max-steps", maxSteps, 1);
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new InfuseException("--lr must be positive and finite, found " + lr);
        }
        if (!(clipNorm >= 0) || Float.isInfinite(clipNorm)) {
            throw new InfuseException("--clip must be 0 (off) or positive, found " + clipNorm);
        }
        if (!(weightDecay >= 0) || weightDecay >= 1) {
            throw new InfuseException("--weight-decay must be in [0, 1), found " + weightDecay);
        }
        if (!(mlmProbability > 0 && mlmProbability < 1)) {
            throw new InfuseException("--mlm-probability must be in (0, 1), found " + mlmProbability);
        }
        if (warmupSteps > maxSteps) {
            throw new InfuseException("--warmup (" + warmupSteps + ") is longer than --max-steps (" + maxSteps + ")");
        }
    }

    /**
     * A short run with the usual recipe: linear decay after 10% warm-up, clipping at 1, no accumulation,
     * weight decay 0.01, 15% of tokens predicted, a checkpoint every 50 steps (or at the end if sooner).
     */
    public static TrainSettings shortRun(int batchSize, int maxSeqLength, float lr, Freeze freeze, int maxSteps, long seed) {
        return new TrainSettings(batchSize, maxSeqLength, lr, Math.max(1, maxSteps / 10), LrSchedule.Kind.LINEAR, 1f, 1, freeze,
                Math.max(1, Math.min(50, maxSteps)), maxSteps, seed, 0.01f, 0.15);
    }

    private static void atLeast(String flag, int value, int min) {
        if (value < min) {
            throw new InfuseException(flag + " must be at least " + min + ", found " + value);
        }
    }

    /**
     * The settings that decide the numbers a run computes, by flag name. A resumed run must match all of
     * them except {@code save-every}, which only decides when files are written.
     */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch-size", batchSize);
        m.put("max-seq-length", maxSeqLength);
        m.put("lr", lr);
        m.put("warmup", warmupSteps);
        m.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
        m.put("clip", clipNorm);
        m.put("accumulate", accumulate);
        m.put("freeze", freeze.describe());
        m.put("max-steps", maxSteps);
        m.put("seed", seed);
        m.put("weight-decay", weightDecay);
        m.put("mlm-probability", mlmProbability);
        return m;
    }

    /** What the loop needs of these settings. */
    public LoopSettings loop() {
        return new LoopSettings(maxSteps, lr, warmupSteps, schedule, clipNorm, accumulate, weightDecay, seed);
    }

    public TrainSettings withSaveEvery(int every) {
        return new TrainSettings(batchSize, maxSeqLength, lr, warmupSteps, schedule, clipNorm, accumulate, freeze, every, maxSteps,
                seed, weightDecay, mlmProbability);
    }

    public TrainSettings withMlmProbability(double p) {
        return new TrainSettings(batchSize, maxSeqLength, lr, warmupSteps, schedule, clipNorm, accumulate, freeze, saveEvery, maxSteps,
                seed, weightDecay, p);
    }

    public TrainSettings withFreeze(Freeze f) {
        return new TrainSettings(batchSize, maxSeqLength, lr, warmupSteps, schedule, clipNorm, accumulate, f, saveEvery, maxSteps,
                seed, weightDecay, mlmProbability);
    }
}
