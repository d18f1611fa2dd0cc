package dev.infuse.io;

import java.io.PrintStream;
import java.nio.file.Path;

/** A child process for {@link RunLockTest}: takes the lock of args[0], says "locked", and holds it until killed or stdin closes. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.take(Path.of(args[0]), "--output-dir", new PrintStream(System.err, true))) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            System.in.read(); // returns when the parent closes our stdin
        }
    }
}
