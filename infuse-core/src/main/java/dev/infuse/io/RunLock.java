package dev.infuse.io;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run per output directory, and a directory never looks finished before it is.
 *
 * <p>A run holds an OS lock on {@code DIR/.infuse-run} from its start to its end; the file holds the run's
 * PID, so a second run is told whose directory it is. The OS drops the lock when the process dies however it
 * dies, so a lock is never stuck. The file itself outlives a killed run: it is the mark of an unfinished
 * directory, which loaders refuse and the next run takes over with a notice. {@link #finish} removes it once
 * everything the run writes is in place.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".infuse-run";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String staleHolder;

    private RunLock(Path file, FileChannel channel, FileLock lock, String staleHolder) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.staleHolder = staleHolder;
    }

    /**
     * Takes {@code dir}'s lock (the directory must exist), or fails in one line naming the holder. A mark left
     * by a dead run is taken over, with a notice on {@code log}.
     */
    public static RunLock take(Path dir, String flag, PrintStream log) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InfuseException("cannot lock " + flag + " " + dir + ": " + reason(e));
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process holds it: another run started in the same JVM
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                holder = holder.isEmpty() ? "unknown, starting now" : holder;
                throw new InfuseException(flag + " " + dir + " is in use by another infuse run (PID " + holder
                        + "); wait for it to end or choose another directory");
            }
            String stale = holder(ch);
            if (!stale.isEmpty()) {
                log.println("infuse: taking over " + dir + " from an earlier run that did not finish (PID " + stale + ", no longer running)");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new RunLock(file, ch, lock, stale);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InfuseException("cannot lock " + flag + " " + dir + ": " + reason(e));
        }
    }

    /** Whether an earlier run left this directory unfinished (its mark was there when the lock was taken). */
    public boolean tookOverUnfinished() {
        return !staleHolder.isEmpty();
    }

    /**
     * Gives the directory back as this run found it, for a run refused before it changed anything: a finished
     * directory stays finished (the mark this run made is removed), an unfinished one stays marked.
     */
    public void abandon() {
        if (tookOverUnfinished()) {
            close();
        } else {
            finish();
        }
    }

    /** Marks the directory finished: removes the mark, then releases the lock. */
    public void finish() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new InfuseException("cannot remove " + file + ": " + reason(e));
        } finally {
            close();
        }
    }

    /** Releases the lock and leaves the mark: the directory stays unfinished. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // Closing the channel below releases it as well.
        }
        closeQuietly(channel);
    }

    /**
     * Refuses to read a directory an infuse run is writing or left unfinished; {@code what} says what the
     * caller wanted (for example "a fine-tuned model").
     */
    public static void requireFinished(Path dir, String what) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        String pid = "";
        boolean alive;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            pid = holder(ch);
            FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true); // a shared lock is free exactly when no run holds the file
            alive = probe == null;
            if (probe != null) {
                probe.release();
            }
        } catch (OverlappingFileLockException e) {
            alive = true; // a run in this very process holds it
        } catch (IOException e) {
            alive = false; // the mark alone is enough to refuse
        }
        throw new InfuseException(dir + " is not " + what + " yet: " + (alive
                ? "an infuse run (PID " + pid + ") is still writing it"
                : "the run writing it stopped before it finished (" + FILE + " is still there); rerun it, with --resume if it has a checkpoint"));
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = ch.read(b, 0);
        return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
    }

    /** The OS's reason without Java's exception class name. */
    public static String reason(IOException e) {
        String type = e.getClass().getSimpleName();
        String msg = e.getMessage() == null ? type : e.getMessage();
        return switch (type) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such file or directory";
            case "FileSystemException" -> msg.contains(": ") ? msg.substring(msg.lastIndexOf(": ") + 2) : msg;
            default -> msg;
        };
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
