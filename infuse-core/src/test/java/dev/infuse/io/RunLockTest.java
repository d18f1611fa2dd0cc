package dev.infuse.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per directory, across processes; a dead holder's mark is taken over with a notice. */
class RunLockTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void aSecondProcessIsRefusedNamingTheHolderAndTakesOverOnceTheHolderIsKilled() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("locked " + holder.pid(), line);
            InfuseException e = assertThrows(InfuseException.class, () -> RunLock.take(dir, "--output-dir", log));
            assertEquals("--output-dir " + dir + " is in use by another infuse run (PID " + holder.pid()
                    + "); wait for it to end or choose another directory", e.getMessage());
            InfuseException load = assertThrows(InfuseException.class, () -> RunLock.requireFinished(dir, "a finished model"));
            assertTrue(load.getMessage().contains("an infuse run (PID " + holder.pid() + ") is still writing it"), load.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: no code of the holder runs, only the OS releases the lock
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        InfuseException stale = assertThrows(InfuseException.class, () -> RunLock.requireFinished(dir, "a finished model"));
        assertTrue(stale.getMessage().contains("stopped before it finished"), stale.getMessage());
        try (RunLock mine = RunLock.take(dir, "--output-dir", log)) {
            assertTrue(mine.tookOverUnfinished());
            assertEquals("infuse: taking over " + dir + " from an earlier run that did not finish (PID " + holder.pid() + ", no longer running)",
                    err.toString(StandardCharsets.UTF_8).strip());
            assertEquals(ProcessHandle.current().pid() + "", Files.readString(dir.resolve(RunLock.FILE)).strip());
            mine.finish();
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "a finished run leaves no mark");
        RunLock.requireFinished(dir, "a finished model"); // no exception
    }

    @Test
    void aSecondRunInTheSameProcessIsRefusedToo() {
        try (RunLock first = RunLock.take(tmp, "--output-dir", log)) {
            InfuseException e = assertThrows(InfuseException.class, () -> RunLock.take(tmp, "--output-dir", log));
            assertTrue(e.getMessage().contains("is in use by another infuse run (PID " + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
        try (RunLock again = RunLock.take(tmp, "--output-dir", log)) {
            assertTrue(again.tookOverUnfinished(), "closed without finish: the mark stays");
        }
    }
}
