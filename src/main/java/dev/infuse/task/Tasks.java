package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.relation.RelationSet;
import dev.infuse.task.typing.TypingSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The task names {@code --task} accepts and the reader of each. */
public final class Tasks {
    public static final List<String> NAMES = List.of("ner", "typing", "relation", "classify");

    private Tasks() {}

    public static TaskSet read(String task, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("no such file: " + file);
        }
        return switch (check(task)) {
            case "ner" -> NerSet.read(file);
            case "typing" -> TypingSet.read(file);
            case "relation" -> RelationSet.read(file);
            case "classify" -> ClassifySet.read(file);
            default -> throw new IllegalStateException(task);
        };
    }

    /** Position groups per target: two (head and tail) for relations, one otherwise. */
    public static int groups(String task) {
        return check(task).equals("relation") ? 2 : 1;
    }

    static String check(String task) {
        if (!NAMES.contains(task)) {
            throw new InfuseException("unknown --task \"" + task + "\": expected one of " + String.join(", ", NAMES));
        }
        return task;
    }
}
