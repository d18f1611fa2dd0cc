package dev.infuse.train;

import dev.infuse.InfuseException;
import java.util.Locale;

/**
 * Learning rate per optimizer step: linear warm-up from 0 to the peak, then linear or cosine decay to 0
 * at the last step (the schedules of BERT and of Hugging Face's {@code get_*_schedule_with_warmup}).
 */
public record LrSchedule(float peak, int warmupSteps, int totalSteps, Kind kind) {
    public enum Kind {
        LINEAR, COSINE, CONSTANT,
        /** The peak for the first half of the steps after warm-up, a tenth of it after: RotatE's reference schedule. */
        STEP;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InfuseException("unknown --schedule \"" + s + "\": expected linear, cosine, constant or step");
            }
        }
    }

    public LrSchedule {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("schedule needs 0 <= warmup (" + warmupSteps + ") <= total (" + totalSteps + ")");
        }
    }

    /** The rate for update {@code step} (0-based): the first update already moves, with peak / warmup. */
    public float lr(long step) {
        if (step < warmupSteps) {
            return (float) (peak * (step + 1) / (double) warmupSteps);
        }
        if (kind == Kind.CONSTANT) {
            return peak;
        }
        if (kind == Kind.STEP) {
            return step - warmupSteps < (totalSteps - warmupSteps) / 2 ? peak : peak / 10;
        }
        double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps); // in [0, 1)
        double factor = kind == Kind.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (peak * factor);
    }
}
