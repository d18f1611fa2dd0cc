package dev.infuse.task;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The output directory of a fine-tuning run: checked before any expensive work, cleared only with --overwrite. */
final class FinetuneOutput {
    /** What a run writes; --overwrite deletes these and refuses to touch anything else. */
    static final Set<String> OURS = Set.of("metrics.jsonl", "dev_scores.jsonl", "provenance.json", "config.json", "model.safetensors",
            "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", TaskModel.HEAD_FILE, TaskModel.TASK_FILE,
            TaskModel.TABLE_FILE);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private FinetuneOutput() {}

    static void prepare(Path out, boolean overwrite) {
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
                return;
            }
            List<String> foreign = present.stream().filter(n -> !OURS.contains(n)).toList();
            if (!overwrite || !foreign.isEmpty()) {
                throw new InfuseException("--output-dir " + out + " is not empty (" + String.join(", ", overwrite ? foreign : present)
                        + "); choose an empty directory" + (overwrite ? "" : " or pass --overwrite"));
            }
            for (String n : present) {
                Files.delete(out.resolve(n));
            }
        } catch (IOException e) {
            throw new InfuseException("cannot prepare --output-dir " + out + ": " + e.getMessage());
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
