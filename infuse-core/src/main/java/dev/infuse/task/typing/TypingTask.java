package dev.infuse.task.typing;

import dev.infuse.task.TaskKind;
import java.nio.file.Path;

/** Entity typing from {"text","start","end","label"} jsonl: one target per span. */
public final class TypingTask implements TaskKind {
    @Override
    public String name() {
        return "typing";
    }

    @Override
    public TypingSet read(Path file) {
        return TypingSet.read(file);
    }
}
