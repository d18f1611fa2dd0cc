package dev.infuse.train;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.RunLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides what a training run may do with its {@code --output-dir}, before any expensive work starts; the
 * same rules for pretraining and fine-tuning.
 *
 * <ul>
 *   <li>{@code --overwrite} deletes what a run writes and refuses to touch anything else;
 *   <li>one run at a time: a second run into a directory in use is refused, naming the first one's PID;
 *   <li>{@code --resume} needs a checkpoint of the same run (same identity);
 *   <li>otherwise the directory must be empty, except for the leftovers of a run that stopped before its
 *       first checkpoint (a divergence at step 1, a full disk, a kill during the first checkpoint write, even
 *       after a best model was saved): those are cleared with a one-line notice, so rerunning works.
 * </ul>
 */
public final class OutputDir {
    /** What every training run may write into its directory. */
    static final Set<String> COMMON = Set.of(TrainCheckpoint.DIR, ".checkpoint-new", ".checkpoint-old", "metrics.jsonl", "provenance.json",
            "config.json", "model.safetensors", TrainCheckpoint.MODULES, "vocab.txt", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json");

    private OutputDir() {}

    /**
     * A run's hold on its directory: the checkpoint to resume from (null to start afresh) and the directory's
     * {@link RunLock}. {@link #finish} once everything is written; closing without it leaves the directory
     * marked unfinished.
     */
    public record Run(Path resumeFrom, RunLock lock) implements AutoCloseable {
        public void finish() {
            lock.finish();
        }

        @Override
        public void close() {
            lock.close();
        }
    }

    /**
     * Locks {@code out} for this run (one run per directory), then decides what the run may do with what is
     * there. The directory exists afterwards; if this fails, a directory it created is removed again.
     *
     * @param extra names this kind of run writes besides {@link #COMMON}
     */
    public static Run prepare(Path out, Set<String> extra, Map<String, Object> identity, boolean resume, boolean overwrite,
            PrintStream log) {
        if (resume && overwrite) {
            throw new InfuseException("--resume and --overwrite exclude each other");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InfuseException("--output-dir " + out + " is a file");
        }
        Set<String> ours = new HashSet<>(COMMON);
        ours.addAll(extra);
        boolean created = !Files.exists(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InfuseException("cannot create --output-dir " + out + ": " + RunLock.reason(e));
        }
        RunLock lock = RunLock.take(out, "--output-dir", log);
        try {
            return new Run(decide(out, ours, identity, resume, overwrite, lock.tookOverUnfinished(), log), lock);
        } catch (RuntimeException e) {
            if (created) {
                lock.finish();
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // Left empty; the real error is on its way.
                }
            } else {
                lock.abandon(); // a refused rerun must not leave a finished model looking unfinished
            }
            throw e;
        }
    }

    private static Path decide(Path out, Set<String> ours, Map<String, Object> identity, boolean resume, boolean overwrite,
            boolean unfinished, PrintStream log) {
        List<String> present = list(out);
        Path ckpt = TrainCheckpoint.find(out);
        List<String> foreign = present.stream().filter(n -> !ours.contains(n)).toList();
        if (overwrite) {
            if (!foreign.isEmpty()) {
                throw new InfuseException("--output-dir " + out + " holds files infuse did not write (" + String.join(", ", foreign)
                        + "); --overwrite replaces only a run, choose another directory");
            }
            present.forEach(name -> delete(out.resolve(name)));
            return null;
        }
        if (ckpt != null) {
            TrainCheckpoint.State st = TrainCheckpoint.readState(ckpt);
            String diff = differences(st.identity(), identity);
            if (resume && diff.isEmpty()) {
                return ckpt;
            }
            if (resume) {
                throw new InfuseException("cannot resume: " + out + " holds a different run (" + diff + ")");
            }
            throw new InfuseException(diff.isEmpty()
                    ? "--output-dir " + out + " already holds this run (step " + st.step() + "); pass --resume to continue it or --overwrite to start again"
                    : "--output-dir " + out + " already holds a different run (" + diff + "); pass --overwrite to replace it or choose another directory");
        }
        if (present.isEmpty()) {
            if (resume) {
                throw new InfuseException("nothing to resume: " + out + " holds no checkpoint");
            }
            return null;
        }
        // No checkpoint: what is here is either a finished model (refused) or what a run left before its first checkpoint.
        // A finished model has a config.json, or a task.json when only its adapter and head were saved.
        boolean leftovers = foreign.isEmpty() && (unfinished || (!present.contains("config.json") && !present.contains("task.json")));
        if (leftovers) {
            log.println("infuse: starting over: " + out + " holds only what an unfinished run left before its first checkpoint ("
                    + String.join(", ", present) + ")");
            present.forEach(name -> delete(out.resolve(name)));
            return null;
        }
        if (resume) {
            throw new InfuseException("nothing to resume: " + out + " holds no checkpoint");
        }
        throw new InfuseException("--output-dir " + out + " is not empty (" + String.join(", ", present)
                + "); choose an empty directory or pass --overwrite");
    }

    /**
     * "lr: 1e-4 there, 5e-5 here; kg-sha256: 3f2a... there, (unset) here" for every setting that differs, over
     * the keys of both runs: a setting the earlier run had and this one lacks is a difference too.
     */
    public static String differences(Map<String, Object> there, Map<String, Object> here) {
        Set<String> keys = new java.util.TreeSet<>(there.keySet());
        keys.addAll(here.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String a = there.containsKey(k) ? String.valueOf(there.get(k)) : "(unset)";
            String b = here.containsKey(k) ? String.valueOf(here.get(k)) : "(unset)";
            if (!a.equals(b)) {
                out.add(k + ": " + a + " there, " + b + " here");
            }
        }
        return String.join("; ", out);
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunLock.FILE)).sorted().toList();
        } catch (IOException e) {
            throw new InfuseException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static void delete(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException e) {
            throw new InfuseException("cannot delete " + p + ": " + e.getMessage());
        }
    }
}
