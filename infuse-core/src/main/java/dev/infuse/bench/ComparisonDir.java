package dev.infuse.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.RunLock;
import dev.infuse.train.OutputDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A comparison's output directory: one comparison at a time (an OS lock, as every run has), and finished work is
 * reused only by a comparison with the same settings. Cells and injections are kept by method and task name, so
 * without the recorded settings a rerun with other seeds, another budget or another transfer would read them
 * back as its own; {@value #FILE} holds those settings and a rerun that differs is refused, naming each difference.
 * Methods and tasks are not part of it: a rerun may add either, and each keeps its own cells.
 */
final class ComparisonDir implements AutoCloseable {
    static final String FILE = "comparison-settings.json";

    private final RunLock lock;

    private ComparisonDir(RunLock lock) {
        this.lock = lock;
    }

    static ComparisonDir open(Path dir, Map<String, Object> settings, PrintStream log) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InfuseException("--output-dir " + dir + " is a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InfuseException("cannot create --output-dir " + dir + ": " + RunLock.reason(e));
        }
        RunLock lock = RunLock.take(dir, "--output-dir", log);
        try {
            check(dir, settings);
        } catch (RuntimeException e) {
            lock.abandon();
            throw e;
        }
        return new ComparisonDir(lock);
    }

    private static void check(Path dir, Map<String, Object> settings) {
        Path file = dir.resolve(FILE);
        Map<String, Object> here = new LinkedHashMap<>();
        settings.forEach((k, v) -> here.put(k, String.valueOf(v)));
        if (!Files.exists(file)) {
            if (Files.exists(dir.resolve("cells")) || Files.exists(dir.resolve("methods"))) {
                throw new InfuseException("--output-dir " + dir + " holds a comparison whose settings were not recorded (an older infuse); "
                        + "its cells cannot be told apart from this run's: choose another directory or delete it");
            }
            JsonObject o = new JsonObject();
            here.forEach((k, v) -> o.addProperty(k, (String) v));
            AtomicFiles.writeString(file, o + "\n");
            return;
        }
        Map<String, Object> there = new LinkedHashMap<>();
        try {
            JsonParser.parseString(Files.readString(file)).getAsJsonObject().entrySet().forEach(e -> there.put(e.getKey(), e.getValue().getAsString()));
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        }
        String diff = OutputDir.differences(there, here);
        if (!diff.isEmpty()) {
            throw new InfuseException("--output-dir " + dir + " holds a comparison with other settings (" + diff
                    + "); its finished cells would be mixed with this run's: choose another directory");
        }
    }

    /** Everything is written: the directory no longer looks unfinished. */
    void finish() {
        lock.finish();
    }

    @Override
    public void close() {
        lock.close();
    }
}
