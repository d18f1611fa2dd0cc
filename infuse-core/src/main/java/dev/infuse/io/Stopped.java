package dev.infuse.io;

/**
 * A run stopped at a safe point by SIGINT or SIGTERM. It travels up to the CLI, which prints {@link #line}
 * and exits with the signal's code. Code on the way that knows how to continue (where the checkpoint is)
 * adds it with {@link #then}.
 */
public final class Stopped extends RuntimeException {
    private final StopSignal.Kind signal;
    private final String where;
    private final String next;

    public Stopped(StopSignal.Kind signal, String where) {
        this(signal, where, null);
    }

    private Stopped(StopSignal.Kind signal, String where, String next) {
        super("stopped by " + signal.signalName() + " " + where + (next == null ? "" : "; " + next));
        this.signal = signal;
        this.where = where;
        this.next = next;
    }

    /** The same stop, saying what is kept and how to continue, e.g. "rerun with --resume to continue". */
    public Stopped then(String how) {
        Stopped s = new Stopped(signal, where, next == null ? how : next + "; " + how);
        s.setStackTrace(getStackTrace());
        return s;
    }

    /** The same stop with another account of what is kept, for a caller that resumes differently from the code below it. */
    public Stopped instead(String how) {
        Stopped s = new Stopped(signal, where, how);
        s.setStackTrace(getStackTrace());
        return s;
    }

    public StopSignal.Kind signal() {
        return signal;
    }

    public int exitCode() {
        return signal.exitCode();
    }

    /** The one line the CLI prints, without its "infuse: " prefix. */
    public String line() {
        return getMessage();
    }
}
