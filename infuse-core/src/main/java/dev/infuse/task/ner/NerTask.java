package dev.infuse.task.ner;

import dev.infuse.task.TaskKind;
import java.nio.file.Path;

/** NER in CoNLL columns: one target per word. */
public final class NerTask implements TaskKind {
    @Override
    public String name() {
        return "ner";
    }

    @Override
    public NerSet read(Path file) {
        return NerSet.read(file);
    }
}
