package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import dev.infuse.task.classify.ClassifyTask;
import dev.infuse.task.ner.NerTask;
import dev.infuse.task.relation.RelationTask;
import dev.infuse.task.typing.TypingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The task kinds {@code --task} accepts, by name. A new kind is a {@link TaskKind} class and one line below. */
public final class Tasks {
    private static final Registry<TaskKind> REGISTRY = new Registry<TaskKind>()
            .register("ner", NerTask::new)
            .register("typing", TypingTask::new)
            .register("relation", RelationTask::new)
            .register("classify", ClassifyTask::new);

    public static final List<String> NAMES = REGISTRY.names();

    private Tasks() {}

    /** The kind named {@code task}; an unknown name is one error line that lists the known ones. */
    public static TaskKind kind(String task) {
        return REGISTRY.create(task).orElseThrow(
                () -> new InfuseException("unknown --task \"" + task + "\": expected one of " + String.join(", ", NAMES)));
    }

    /** Whether {@code task} names a task kind. */
    public static boolean known(String task) {
        return REGISTRY.create(task).isPresent();
    }

    public static TaskSet read(String task, Path file) {
        if (Files.isDirectory(file)) {
            throw new InfuseException(file + " is a directory; a task file is expected (CoNLL, jsonl or K-BERT tsv)");
        }
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("no such file: " + file);
        }
        return kind(task).read(file);
    }

    /** Position groups per target: two (head and tail) for relations, one otherwise. */
    public static int groups(String task) {
        return kind(task).groups();
    }

    static String check(String task) {
        return kind(task).name();
    }
}
