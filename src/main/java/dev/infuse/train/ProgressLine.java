package dev.infuse.train;

import java.io.PrintStream;

/**
 * Progress on stderr: loss, learning rate, tokens/s and ETA. On a terminal one line is overwritten at each
 * step; otherwise (a log file, CI) a plain line is printed every {@code everySeconds}, and at the end.
 */
public final class ProgressLine implements TrainListener {
    private final PrintStream err;
    private final boolean terminal;
    private final double everySeconds;
    private long started;
    private long startStep;
    private long lastPrint;
    private double tokens;
    private double seconds;

    public ProgressLine(PrintStream err, boolean terminal, double everySeconds) {
        this.err = err;
        this.terminal = terminal;
        this.everySeconds = everySeconds;
    }

    public static ProgressLine forStderr() {
        return new ProgressLine(System.err, System.console() != null, 30);
    }

    @Override
    public void onStart(long step, long maxSteps) {
        started = System.nanoTime();
        lastPrint = started;
        startStep = step;
    }

    @Override
    public void onStep(StepReport r) {
        tokens += r.tokens();
        seconds += r.seconds();
        long now = System.nanoTime();
        boolean last = r.step() == r.maxSteps();
        if (!terminal && !last && (now - lastPrint) / 1e9 < everySeconds) {
            return;
        }
        lastPrint = now;
        double perStep = (now - started) / 1e9 / (r.step() - startStep);
        String line = String.format("step %d/%d  loss %.4f  lr %.2e  %.0f tokens/s  ETA %s", r.step(), r.maxSteps(), r.loss(), r.lr(),
                tokens / Math.max(seconds, 1e-9), duration(perStep * (r.maxSteps() - r.step())));
        if (terminal) {
            err.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else {
            err.println("infuse: " + line);
        }
        err.flush();
    }

    static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
