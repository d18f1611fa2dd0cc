package dev.infuse.domain.foldoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.domain.Entity;
import dev.infuse.domain.Passage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FoldocBenchmarkTest {
    static FoldocImporter.Result data;
    static Map<String, Entity> byId = new HashMap<>();

    @BeforeAll
    static void load() {
        data = FoldocImporter.convert(FoldocSource.read(Path.of("data/foldoc/foldoc.jsonl.gz")));
        data.entities().forEach(e -> byId.put(e.id(), e));
    }

    /** Test entities never occur in training sentences (labelled or not); dev ones neither. */
    @Test
    void nerSplitsByEntity() {
        Map<String, List<Ner.Sentence>> ner = Ner.build(data, byId, FoldocBenchmark::split);
        assertEquals(List.of("dev", "test", "train"), List.copyOf(ner.keySet()));
        for (Ner.Sentence s : ner.get("train")) {
            assertTrue(s.entities().stream().allMatch(e -> FoldocBenchmark.split(e).equals("train")), s.conll());
        }
        for (Ner.Sentence s : ner.get("dev")) {
            assertFalse(s.entities().stream().anyMatch(e -> FoldocBenchmark.split(e).equals("test")), s.conll());
        }
        assertTrue(ner.get("test").stream().allMatch(s -> s.entities().stream().anyMatch(e -> FoldocBenchmark.split(e).equals("test"))));
        for (Ner.Sentence s : ner.get("train")) {
            for (String line : s.conll().split("\n")) {
                assertTrue(line.matches("[^\t ]+\t(O|[BI]-[a-z_0-9/&-]+)"), line);
            }
        }
    }

    @Test
    void bucketsFollowPiecesAndMentionCounts() {
        // Fake piece counter: names with a space have two pieces.
        FoldocBenchmark b = new FoldocBenchmark(data, w -> w.contains(" ") ? 2 : 1, 5);
        assertEquals("frequent", b.bucket(byId.get("erlang")), "a single piece is never rare");
        Entity multi = byId.get("transmission-control-protocol");
        long mentions = data.passages().stream().flatMap(p -> p.mentions().stream())
                .filter(m -> m.entity().equals(multi.id())).count();
        assertEquals(mentions <= 5 ? "rare" : "frequent", b.bucket(multi));
    }

    @Test
    void typingWindowKeepsTheMention() {
        Passage p = data.passages().stream().filter(x -> x.text().length() > 600 && !x.mentions().isEmpty()).findFirst().orElseThrow();
        var m = p.mentions().get(p.mentions().size() - 1);
        int[] w = FoldocBenchmark.window(p.text(), new int[] {0, p.text().length()}, m);
        assertTrue(w[0] <= m.start() && m.end() <= w[1] && w[1] - w[0] <= FoldocBenchmark.WINDOW);
    }
}
