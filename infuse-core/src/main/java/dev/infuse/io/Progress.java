package dev.infuse.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress for long work: on a terminal one line redrawn in place with items/s and ETA; otherwise a plain
 * line every few seconds, so logs stay readable.
 */
public final class Progress implements AutoCloseable {
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
    private static final long TTY_EVERY_NANOS = 200_000_000L;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long done;
    private long resumedFrom;
    private long lastPrint;
    private String extra = "";

    /** @param total the expected count, or -1 when unknown */
    public Progress(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null && !"true".equals(System.getenv("CI")));
    }

    Progress(String label, long total, String unit, PrintStream out, boolean tty) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.tty = tty;
        this.lastPrint = start;
    }

    /** Counts work finished before this process started (a resumed run), without counting it in the rate. */
    public void resumeAt(long already) {
        done = already;
        resumedFrom = already;
    }

    public void step(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastPrint >= (tty ? TTY_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
            lastPrint = now;
            print(false);
        }
    }

    /** Extra text shown after the counters, such as a loss. */
    public void note(String text) {
        extra = text;
    }

    public long done() {
        return done;
    }

    private void print(boolean last) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? (done - resumedFrom) / secs : 0;
        StringBuilder s = new StringBuilder(label).append(": ").append(done);
        if (total > 0) {
            s.append('/').append(total).append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        }
        s.append(String.format(Locale.ROOT, "  %.1f %s/s", rate, unit));
        if (total > 0 && rate > 0 && !last) {
            s.append("  ETA ").append(clock((total - done) / rate));
        }
        if (last) {
            s.append("  in ").append(clock(secs));
        }
        if (!extra.isEmpty()) {
            s.append("  ").append(extra);
        }
        if (tty) {
            out.print("\r\033[K" + s + (last ? "\n" : ""));
        } else {
            out.println(s);
        }
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        print(true);
    }
}
