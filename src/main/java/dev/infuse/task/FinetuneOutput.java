package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.train.TrainCheckpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The output directory of a fine-tuning run: checked before any expensive work, cleared only with --overwrite. */
final class FinetuneOutput {
    /** What a run writes; --overwrite deletes these and refuses to touch anything else. */
    static final Set<String> OURS = Set.of("metrics.jsonl", "dev_scores.jsonl", "provenance.json", "config.json", "model.safetensors",
            "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", TaskModel.HEAD_FILE, TaskModel.TASK_FILE,
            TaskModel.TABLE_FILE, TrainCheckpoint.DIR, ".checkpoint-new", ".checkpoint-old");
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private FinetuneOutput() {}

    /** Returns the checkpoint to resume from, or null to start afresh in an empty directory. */
    static Path prepare(Path out, boolean overwrite, boolean resume, Map<String, Object> identity) {
        if (resume && overwrite) {
            throw new InfuseException("--resume and --overwrite exclude each other");
        }
        if (resume) {
            Path ckpt = Files.isDirectory(out) ? TrainCheckpoint.find(out) : null;
            if (ckpt == null) {
                throw new InfuseException("nothing to resume: " + out + " holds no fine-tuning checkpoint (a finished run removes it)");
            }
            List<String> diff = new ArrayList<>();
            Map<String, Object> there = TrainCheckpoint.readState(ckpt).identity();
            identity.forEach((k, v) -> {
                if (!String.valueOf(v).equals(String.valueOf(there.get(k)))) {
                    diff.add(k + ": " + there.get(k) + " there, " + v + " here");
                }
            });
            if (!diff.isEmpty()) {
                throw new InfuseException("cannot resume: " + out + " holds a different run (" + String.join("; ", diff) + ")");
            }
            return ckpt;
        }
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new InfuseException("--output-dir " + out + " is a file");
            }
            Files.createDirectories(out);
            List<String> present;
            try (Stream<Path> s = Files.list(out)) {
                present = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            if (present.isEmpty()) {
                return null;
            }
            List<String> foreign = present.stream().filter(n -> !OURS.contains(n)).toList();
            if (!overwrite || !foreign.isEmpty()) {
                throw new InfuseException("--output-dir " + out + " is not empty (" + String.join(", ", overwrite ? foreign : present)
                        + "); choose an empty directory" + (overwrite ? "" : present.contains(TrainCheckpoint.DIR)
                                ? ", pass --resume to continue the run or --overwrite to replace it" : " or pass --overwrite"));
            }
            for (String n : present) {
                AtomicFiles.deleteTree(out.resolve(n));
            }
            return null;
        } catch (IOException e) {
            throw new InfuseException("cannot prepare --output-dir " + out + ": " + e.getMessage());
        }
    }

    /** Removes the checkpoint of a finished run. */
    static void clearCheckpoint(Path out) {
        try {
            AtomicFiles.deleteTree(out.resolve(TrainCheckpoint.DIR));
            AtomicFiles.deleteTree(out.resolve(".checkpoint-old"));
        } catch (IOException e) {
            throw new InfuseException("cannot delete the checkpoint in " + out + ": " + e.getMessage());
        }
    }

    /** Keeps the lines of a jsonl log up to {@code step}: a resumed run continues the file as if never stopped. */
    static void truncateAfter(Path file, long step) {
        try {
            if (Files.exists(file)) {
                List<String> keep = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> {
                    try {
                        return com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("step").getAsLong() <= step;
                    } catch (RuntimeException torn) {
                        return false;
                    }
                }).toList();
                Files.write(file, keep, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InfuseException("cannot rewrite " + file + ": " + e.getMessage());
        }
    }

    static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new InfuseException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
