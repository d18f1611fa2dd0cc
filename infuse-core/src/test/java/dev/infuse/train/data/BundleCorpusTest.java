package dev.infuse.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCorpusTest {
    @TempDir
    Path dir;

    static final String ENTITIES = """
            {"id":"e1","name":"red apples","aliases":["apples"],"type":"fruit","description":"fruit"}
            {"id":"e2","name":"park","aliases":[],"type":"place","description":"a place"}
            """;

    @Test
    void plainBundleCorpusGetsDictionaryMentionsAndKeepsDocuments() throws Exception {
        Files.writeString(dir.resolve("entities.jsonl"), ENTITIES);
        Files.write(dir.resolve("corpus.txt"), List.of("red apples grow on tall trees", "a dog ran in the park", "", "apples again"));
        BundleCorpus c = new BundleCorpus(DomainBundle.open(dir));
        try (PassageSource.Pass p = c.open()) {
            TextPassage a = p.next();
            assertTrue(a.startsDocument());
            assertArrayEquals(new int[] {0, 10}, a.mentions().get(0));
            TextPassage b = p.next();
            assertEquals(false, b.startsDocument());
            assertArrayEquals(new int[] {17, 21}, b.mentions().get(0));
            assertTrue(p.next().startsDocument(), "a blank line opens a new document");
        }
    }

    @Test
    void linkedMentionsOfCorpusJsonlAreUsedAsTheyAre() throws Exception {
        Files.writeString(dir.resolve("entities.jsonl"), ENTITIES);
        Files.writeString(dir.resolve("corpus.jsonl"),
                "{\"id\":\"x\",\"text\":\"a dog ran in the park\",\"mentions\":[{\"start\":2,\"end\":5,\"entity\":\"e2\"}]}\n");
        try (PassageSource.Pass p = new BundleCorpus(DomainBundle.open(dir)).open()) {
            assertArrayEquals(new int[] {2, 5}, p.next().mentions().get(0));
        }
    }

    @Test
    void aBundleWithoutCorpusIsAClearError() throws Exception {
        Files.writeString(dir.resolve("entities.jsonl"), ENTITIES);
        InfuseException e = assertThrows(InfuseException.class, () -> new BundleCorpus(DomainBundle.open(dir)));
        assertEquals(dir + ": the bundle has no corpus (corpus.txt or corpus.jsonl)", e.getMessage());
    }

    @Test
    void duplicateEntityIdsAreRefusedAsPeltBuildRefusesThem() throws Exception {
        Path ents = dir.resolve("entities.jsonl");
        Files.writeString(ents, ENTITIES + "{\"id\":\"e2\",\"name\":\"garden\"}\n");
        Files.writeString(dir.resolve("corpus.jsonl"),
                "{\"id\":\"x\",\"text\":\"a dog ran in the park\",\"mentions\":[{\"start\":17,\"end\":21,\"entity\":\"e2\"}]}\n");
        String expected = ents + ": duplicate entity id 'e2', expected each id once";
        // What pelt build meets: its occurrence pass reads the entities through the same check.
        assertEquals(expected, assertThrows(InfuseException.class, () -> DomainBundle.open(dir).requireValid()).getMessage());
        InfuseException e = assertThrows(InfuseException.class, () -> new BundleCorpus(DomainBundle.open(dir)));
        assertEquals(expected, e.getMessage());
    }
}
