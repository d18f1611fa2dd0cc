package dev.infuse.train;

import dev.infuse.io.Progress;
import java.util.Locale;

/** Shows training progress (steps, loss, learning rate, tokens/s, ETA) through the CLI's one progress display. */
public final class ProgressLine implements TrainListener {
    private final String label;
    private final String unit;
    private Progress progress;
    private double tokens;
    private double seconds;

    private ProgressLine(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** @param label what the line says is running: pretrain, finetune */
    public static ProgressLine forStderr(String label) {
        return new ProgressLine(label, "tokens");
    }

    /** @param unit what a batch's {@link Batch#tokens} count: "triples" for knowledge-graph embeddings */
    public static ProgressLine forStderr(String label, String unit) {
        return new ProgressLine(label, unit);
    }

    @Override
    public void onStart(long step, long maxSteps) {
        progress = new Progress(label, maxSteps, "steps");
        progress.resumeAt(step);
    }

    @Override
    public void onStep(StepReport r) {
        tokens += r.tokens();
        seconds += r.seconds();
        progress.note(String.format(Locale.ROOT, "loss %.4f  lr %.2e  %.0f %s/s", r.loss(), r.lr(), tokens / Math.max(seconds, 1e-9), unit));
        progress.step(1);
    }

    /** Ends the bar's line, so the stop's own line does not land on top of it at a terminal. */
    @Override
    public void onStop(StepReport last) {
        onEnd(last == null ? 0 : last.step());
    }

    @Override
    public void onEnd(long step) {
        if (progress != null) {
            progress.close(); // the final line, with the total time
            progress = null;
        }
    }
}
