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

/** Files of a fine-tuning run's output directory; {@link dev.infuse.train.OutputDir} decides what a run may do with it. */
final class FinetuneOutput {
    /** What a fine-tuning run writes besides what every training run does. */
    static final Set<String> OURS = Set.of("dev_scores.jsonl", TaskModel.HEAD_FILE, TaskModel.TASK_FILE, TaskModel.CARD_FILE);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private FinetuneOutput() {}

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
