package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.relation.RelationSet;
import dev.infuse.task.typing.TypingSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksTest {
    @Test
    void everyRegisteredNameRoundTrips() {
        assertEquals(List.of("ner", "typing", "relation", "classify"), Tasks.NAMES);
        for (String name : Tasks.NAMES) {
            assertEquals(name, Tasks.kind(name).name());
            assertEquals(name.equals("relation") ? 2 : 1, Tasks.groups(name), name);
        }
    }

    @Test
    void eachKindReadsItsOwnFormat(@TempDir Path tmp) throws IOException {
        assertInstanceOf(NerSet.class, Tasks.read("ner", TinyTasks.ner(tmp.resolve("a.conll"), 5, 1)));
        assertInstanceOf(TypingSet.class, Tasks.read("typing", TinyTasks.typing(tmp.resolve("b.jsonl"), 5, 2)));
        assertInstanceOf(RelationSet.class, Tasks.read("relation", TinyTasks.relation(tmp.resolve("c.jsonl"), 5, 3)));
        assertInstanceOf(ClassifySet.class, Tasks.read("classify", TinyTasks.classify(tmp.resolve("d.jsonl"), 5, 4)));
    }

    @Test
    void anUnknownNameListsTheKnownOnes(@TempDir Path tmp) throws IOException {
        InfuseException e = assertThrows(InfuseException.class, () -> Tasks.groups("pos"));
        assertEquals("unknown --task \"pos\": expected one of ner, typing, relation, classify", e.getMessage());
        assertThrows(InfuseException.class, () -> Tasks.kind("NER"));
        Path file = TinyTasks.ner(tmp.resolve("e.conll"), 3, 5);
        assertEquals(e.getMessage().replace("pos", "srl"), assertThrows(InfuseException.class, () -> Tasks.read("srl", file)).getMessage());
    }
}
