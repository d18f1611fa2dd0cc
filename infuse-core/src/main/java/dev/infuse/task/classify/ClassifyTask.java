package dev.infuse.task.classify;

import dev.infuse.task.TaskKind;
import java.nio.file.Path;

/** Text classification from {"text","label"} jsonl: one target per text, read at [CLS]. */
public final class ClassifyTask implements TaskKind {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public ClassifySet read(Path file) {
        return ClassifySet.read(file);
    }
}
