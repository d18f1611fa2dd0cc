package dev.infuse.train;

import dev.infuse.io.AtomicFiles;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Decides what a pretraining run may do with its {@code --output-dir}, before any expensive work starts. */
final class OutputDir {
    /** What a run writes; {@code --overwrite} deletes these and nothing else. */
    static final Set<String> OURS = Set.of(TrainCheckpoint.DIR, ".checkpoint-new", ".checkpoint-old", "metrics.jsonl", "provenance.json",
            "config.json", "model.safetensors", TrainCheckpoint.MODULES, "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    private OutputDir() {}

    /** Returns the checkpoint directory to resume from, or null to start afresh (the directory is then ready). */
    static Path prepare(Path out, Map<String, Object> identity, boolean resume, boolean overwrite) {
        Path ckpt = decide(out, identity, resume, overwrite);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InfuseException("cannot create --output-dir " + out + ": " + e.getMessage());
        }
        return ckpt;
    }

    private static Path decide(Path out, Map<String, Object> identity, boolean resume, boolean overwrite) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InfuseException("--output-dir " + out + " is a file");
        }
        List<String> present = list(out);
        Path ckpt = Files.isDirectory(out) ? TrainCheckpoint.find(out) : null;
        if (overwrite) {
            for (String name : present) {
                if (OURS.contains(name)) {
                    delete(out.resolve(name));
                }
            }
            List<String> foreign = present.stream().filter(n -> !OURS.contains(n)).toList();
            if (!foreign.isEmpty()) {
                throw new InfuseException("--output-dir " + out + " holds files infuse did not write (" + String.join(", ", foreign)
                        + "); --overwrite replaces only a run, choose another directory");
            }
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
