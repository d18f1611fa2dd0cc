package dev.infuse.task;

import java.nio.file.Path;

/**
 * One kind of downstream task {@code --task} can name: how its files are read and how many position
 * groups a target pools. A new kind is a class beside its reader and one line in {@link Tasks}.
 */
public interface TaskKind {
    /** The name {@code --task} uses for it. */
    String name();

    TaskSet read(Path file);

    /** Position groups per target: two (head and tail) for relations, one otherwise. */
    default int groups() {
        return 1;
    }
}
