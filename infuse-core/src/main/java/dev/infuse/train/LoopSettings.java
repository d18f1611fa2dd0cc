package dev.infuse.train;

import dev.infuse.InfuseException;

/**
 * How the one training loop runs, whatever it trains: the step budget, the learning-rate schedule, clipping,
 * accumulation, weight decay and the seed that drives dropout. Pretraining, fine-tuning and the linear probe
 * each translate their own flags into this.
 *
 * @param maxSteps optimizer steps in the whole run
 * @param clipNorm the largest global gradient norm; 0 measures it without clipping
 * @param accumulate micro-batches per optimizer step
 * @param weightDecay AdamW's decoupled decay; the other optimizer settings are {@link #optimizer}'s
 */
public record LoopSettings(long maxSteps, float lr, int warmupSteps, LrSchedule.Kind schedule, float clipNorm, int accumulate,
        float weightDecay, long seed) {
    public LoopSettings {
        if (maxSteps < 1 || accumulate < 1 || warmupSteps < 0 || warmupSteps > maxSteps) {
            throw new InfuseException("training loop: need at least one step and one micro-batch, and warm-up within the run; found "
                    + maxSteps + " steps, " + accumulate + " micro-batches, " + warmupSteps + " warm-up steps");
        }
        if (!(lr > 0) || Float.isInfinite(lr) || !(clipNorm >= 0) || !(weightDecay >= 0)) {
            throw new InfuseException("training loop: lr must be positive, clipping and weight decay non-negative; found " + lr + ", "
                    + clipNorm + ", " + weightDecay);
        }
    }

    /** The one definition of the optimizer every run uses. */
    public AdamW.Settings optimizer() {
        return AdamW.Settings.withDecay(weightDecay);
    }

    public LrSchedule lrSchedule() {
        return new LrSchedule(lr, warmupSteps, Math.toIntExact(maxSteps), schedule);
    }
}
