package dev.infuse.train;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
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
 *   <li>{@code --resume} needs a checkpoint of the same run (same identity);
 *   <li>otherwise the directory must be empty, except for the leftovers of a run that stopped before its
 *       first checkpoint and its first model (a divergence at step 1, a full disk): those are cleared with
 *       a one-line notice, so rerunning the same command works.
 * </ul>
 */
public final class OutputDir {
    /** What every training run may write into its directory. */
    static final Set<String> COMMON = Set.of(TrainCheckpoint.DIR, ".checkpoint-new", ".checkpoint-old", "metrics.jsonl", "provenance.json",
            "config.json", "model.safetensors", TrainCheckpoint.MODULES, "vocab.txt", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json");

    private OutputDir() {}

    /**
     * Returns the checkpoint directory to resume from, or null to start afresh (the directory then exists
     * and holds nothing of an earlier run).
     *
     * @param extra names this kind of run writes besides {@link #COMMON}
     */
    public static Path prepare(Path out, Set<String> extra, Map<String, Object> identity, boolean resume, boolean overwrite,
            PrintStream log) {
        if (resume && overwrite) {
            throw new InfuseException("--resume and --overwrite exclude each other");
        }
        Set<String> ours = new HashSet<>(COMMON);
        ours.addAll(extra);
        Path ckpt = decide(out, ours, identity, resume, overwrite, log);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InfuseException("cannot create --output-dir " + out + ": " + e.getMessage());
        }
        return ckpt;
    }

    private static Path decide(Path out, Set<String> ours, Map<String, Object> identity, boolean resume, boolean overwrite, PrintStream log) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InfuseException("--output-dir " + out + " is a file");
        }
        List<String> present = list(out);
        Path ckpt = Files.isDirectory(out) ? TrainCheckpoint.find(out) : null;
        List<String> foreign = present.stream().filter(n -> !ours.contains(n)).toList();
        if (overwrite) {
            if (!foreign.isEmpty()) {
                throw new InfuseException("--output-dir " + out + " holds files infuse did not write (" + String.join(", ", foreign)
                        + "); --overwrite replaces only a run, choose another directory");
            }
            present.forEach(name -> delete(out.resolve(name)));
            return null;
        }
        if (resume) {
            if (ckpt == null) {
                throw new InfuseException("nothing to resume: " + out + " holds no checkpoint");
            }
            String diff = differences(TrainCheckpoint.readState(ckpt).identity(), identity);
            if (!diff.isEmpty()) {
                throw new InfuseException("cannot resume: " + out + " holds a different run (" + diff + ")");
            }
            return ckpt;
        }
        if (present.isEmpty()) {
            return null;
        }
        if (ckpt != null) {
            TrainCheckpoint.State st = TrainCheckpoint.readState(ckpt);
            String diff = differences(st.identity(), identity);
            throw new InfuseException(diff.isEmpty()
                    ? "--output-dir " + out + " already holds this run (step " + st.step() + "); pass --resume to continue it or --overwrite to start again"
                    : "--output-dir " + out + " already holds a different run (" + diff + "); pass --overwrite to replace it or choose another directory");
        }
        if (foreign.isEmpty() && !present.contains("config.json")) {
            log.println("infuse: starting over: " + out + " holds only what an unfinished run left before its first checkpoint ("
                    + String.join(", ", present) + ")");
            present.forEach(name -> delete(out.resolve(name)));
            return null;
        }
        throw new InfuseException("--output-dir " + out + " is not empty (" + String.join(", ", present)
                + "); choose an empty directory or pass --overwrite");
    }

    /** "lr: 1e-4 there, 5e-5 here; seed: ..." for every setting that differs. */
    static String differences(Map<String, Object> there, Map<String, Object> here) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : here.entrySet()) {
            String a = there.containsKey(e.getKey()) ? String.valueOf(there.get(e.getKey())) : "(unset)";
            String b = String.valueOf(e.getValue());
            if (!a.equals(b)) {
                out.add(e.getKey() + ": " + a + " there, " + b + " here");
            }
        }
        return String.join("; ", out);
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
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
