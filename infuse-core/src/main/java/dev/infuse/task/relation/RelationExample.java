package dev.infuse.task.relation;

import java.util.List;

/** One Wiki80/FewRel instance: head and tail are token ranges {@code [start, end)} of {@code tokens}. */
public record RelationExample(List<String> tokens, int headStart, int headEnd, int tailStart, int tailEnd, String relation) {
    public RelationExample {
        tokens = List.copyOf(tokens);
    }
}
