package dev.infuse.kge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WN18RR's standard split as the reader and dictionaries see it; skipped where ../shared/data is absent (a user's clone). */
class KgeWn18rrTest {
    static final Path DIR = Path.of("../shared/data/wn18rr");
    static List<TripleFile.Row> train;
    static KgIds ids;

    @BeforeAll
    static void read() {
        for (String f : List.of("train.txt.gz", "valid.txt.gz", "test.txt.gz", "entities.dict.gz", "relations.dict.gz")) {
            Assumptions.assumeTrue(Files.isRegularFile(DIR.resolve(f)), "skipped: " + DIR.resolve(f) + " is absent (WN18RR lives in ../shared/data, never in the repository; see data/wn18rr/README.md)");
        }
        train = TripleFile.read(DIR.resolve("train.txt.gz"));
        ids = KgIds.of(TripleFile.readIds(DIR.resolve("entities.dict.gz")), TripleFile.readIds(DIR.resolve("relations.dict.gz")), List.of(train));
    }

    @Test
    void theSplitHasItsPublishedSize() {
        assertEquals(86_835, train.size());
        assertEquals(3_034, TripleFile.read(DIR.resolve("valid.txt.gz")).size());
        assertEquals(3_134, TripleFile.read(DIR.resolve("test.txt.gz")).size());
        assertEquals(40_943, ids.entities().size(), "the dictionary covers every entity; training adds none");
        assertEquals(11, ids.relations().size());
        assertEquals("00260881", ids.entities().get(0), "rows follow entities.dict, leading zeros kept");
    }

    @Test
    void testEntitiesUnseenInTrainingNeedTheDictionary() {
        List<TripleFile.Row> test = TripleFile.read(DIR.resolve("test.txt.gz"));
        ids.index(test, ""); // with entities.dict every test triple has rows
        KgIds trainOnly = KgIds.of(List.of(), List.of(), List.of(train));
        InfuseException e = assertThrows(InfuseException.class, () -> trainOnly.index(test, "not in the training triples"));
        assertTrue(e.getMessage().matches(".*test\\.txt\\.gz:\\d+: unknown entity \"\\d+\": not in the training triples"), e.getMessage());
    }
}
