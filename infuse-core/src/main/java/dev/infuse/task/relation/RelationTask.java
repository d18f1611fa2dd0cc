package dev.infuse.task.relation;

import dev.infuse.task.TaskKind;
import java.nio.file.Path;

/** Relation classification from Wiki80/FewRel jsonl: one target per pair, pooled over head and tail. */
public final class RelationTask implements TaskKind {
    @Override
    public String name() {
        return "relation";
    }

    @Override
    public RelationSet read(Path file) {
        return RelationSet.read(file);
    }

    @Override
    public int groups() {
        return 2;
    }
}
