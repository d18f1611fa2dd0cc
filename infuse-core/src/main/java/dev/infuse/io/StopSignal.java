package dev.infuse.io;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as a request to stop, honoured by the main thread at its next safe point (the end of
 * a training step or of a batch) instead of by the JVM's own handler. That handler exits the JVM at once,
 * and a JVM that exits while the main thread is inside libtorch (backward, a matmul) tears down code the
 * native call later returns into: issue 30's SIGSEGV. Here the main thread has always left native code
 * before the process ends.
 *
 * <p>A second signal stops at once: it waits for files being written ({@link #writing}) to be complete, then
 * restores the default action and sends the signal again, so the kernel ends the process without running
 * any exit code of the JVM or of libtorch (which is what could crash) and the exit status is 128 + signal.
 * {@code Runtime.halt} would run the same JVM exit as the crash of issue 30; it is only the fallback.
 */
public final class StopSignal {
    /** The signals that stop a run, with the exit code a shell reports for each. */
    public enum Kind {
        INT(130), TERM(143);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        public String signalName() {
            return "SIG" + name();
        }
    }

    private static final AtomicReference<Kind> RECEIVED = new AtomicReference<>();
    // Writers share it; the second signal takes it alone, so it never ends the process in the middle of a file.
    private static final ReentrantReadWriteLock WRITES = new ReentrantReadWriteLock();
    private static final ThreadLocal<int[]> DEFERRED = ThreadLocal.withInitial(() -> new int[1]);
    private static final long WRITE_WAIT_SECONDS = 120;

    private StopSignal() {}

    /** Takes over SIGINT and SIGTERM for this JVM; only the CLI's {@code main} calls it. */
    public static void install() {
        for (Kind k : Kind.values()) {
            try {
                Signal.handle(new Signal(k.name()), StopSignal::received);
            } catch (IllegalArgumentException notAllowed) {
                // -Xrs or a platform without the signal: the JVM keeps its own handling.
            }
        }
    }

    private static void received(Signal s) {
        Kind k = Kind.valueOf(s.getName());
        if (RECEIVED.compareAndSet(null, k)) {
            return;
        }
        System.err.println("infuse: a second signal (" + k.signalName() + "): stopping at once, without a checkpoint");
        System.err.flush();
        try {
            WRITES.writeLock().tryLock(WRITE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Signal.handle(s, SignalHandler.SIG_DFL);
        // Java's Signal.raise refuses a signal without a Java handler, and there is no kill(getpid()) in the JDK.
        try {
            new ProcessBuilder("kill", "-s", k.name(), Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(10_000); // the signal ends the process before this does
        } catch (java.io.IOException | InterruptedException e) {
            // No kill command: the JVM's own exit, which runs exit code libtorch may still be inside.
        }
        Runtime.getRuntime().halt(k.exitCode());
    }

    /** What the handler does on a first signal; tests call it to stop a run without one. */
    public static void request(Kind k) {
        RECEIVED.compareAndSet(null, k);
    }

    /** Forgets a request; for tests that stop a run in-process and go on. */
    public static void clear() {
        RECEIVED.set(null);
    }

    /** The first signal received, or null. */
    public static Kind received() {
        return RECEIVED.get();
    }

    /**
     * A safe point: throws {@link Stopped} if a signal came, unless this thread is inside {@link #deferred}.
     * {@code where} says what is done, e.g. "after 40 of 100 examples".
     */
    public static void check(Supplier<String> where) {
        Kind k = RECEIVED.get();
        if (k != null && DEFERRED.get()[0] == 0) {
            throw new Stopped(k, where.get());
        }
    }

    /**
     * Runs {@code work} with the safe points inside it turned off: a training step's listeners (evaluation,
     * checkpoints) finish, and the loop stops after them where it can save what it has.
     */
    public static void deferred(Runnable work) {
        int[] depth = DEFERRED.get();
        depth[0]++;
        try {
            work.run();
        } finally {
            depth[0]--;
        }
    }

    /** Held while a file or a checkpoint is written; a second signal waits for it to be closed. */
    public static Writing writing() {
        WRITES.readLock().lock();
        return () -> WRITES.readLock().unlock();
    }

    /** A write in progress. */
    public interface Writing extends AutoCloseable {
        @Override
        void close();
    }
}
