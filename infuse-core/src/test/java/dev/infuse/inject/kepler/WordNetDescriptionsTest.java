package dev.infuse.inject.kepler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.kge.TripleFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** WordNet 3.0 describes every WN18RR entity, adjectives and adverbs included; skipped where ../shared/data is absent. */
class WordNetDescriptionsTest {
    static final Path DICT = Path.of("../shared/data/wn18rr/entities.dict.gz");

    @Test
    void everyWn18rrEntityHasAGloss() {
        Descriptions d = Descriptions.wordNet(WordNet.load());
        assertTrue(d.of("02084071").startsWith("dog, domestic dog, Canis familiaris: a member of the genus Canis"), d.of("02084071"));
        assertTrue(d.of("02636811").startsWith("arachnoid, arachnidian, spidery"), "an adjective of WN18RR: " + d.of("02636811"));
        Assumptions.assumeTrue(Files.isRegularFile(DICT), "skipped: " + DICT + " is absent (WN18RR lives in ../shared/data, never in the repository)");
        List<String> ids = TripleFile.readIds(DICT);
        assertEquals(40943, ids.size());
        assertEquals(List.of(), ids.stream().filter(id -> d.of(id) == null).limit(5).toList());
    }
}
