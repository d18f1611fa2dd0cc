package dev.infuse.task.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk decoding and entity-level scores against hand-computed numbers (seqeval's default mode). */
class NerScoresTest {
    private static List<String> t(String s) {
        return List.of(s.split(" "));
    }

    @Test
    void chunksFollowSeqevalDefaultMode() {
        assertEquals(List.of(new Chunk("PER", 0, 2), new Chunk("LOC", 3, 4)), Chunks.of(t("B-PER I-PER O B-LOC")));
        // Adjacent entities: a B- always starts a new chunk, and a type change inside I- splits.
        assertEquals(List.of(new Chunk("PER", 0, 1), new Chunk("PER", 1, 2)), Chunks.of(t("B-PER B-PER")));
        assertEquals(List.of(new Chunk("PER", 0, 1), new Chunk("LOC", 1, 2)), Chunks.of(t("B-PER I-LOC")));
        // I- without B-: starts a chunk after O, at the sentence start, and after another type.
        assertEquals(List.of(new Chunk("PER", 1, 3)), Chunks.of(t("O I-PER I-PER O")));
        assertEquals(List.of(new Chunk("PER", 0, 1)), Chunks.of(t("I-PER")));
        assertEquals(List.of(new Chunk("LOC", 0, 1), new Chunk("PER", 1, 2)), Chunks.of(t("I-LOC I-PER")));
        assertEquals(List.of(), Chunks.of(t("O O")));
    }

    @Test
    void partialWrongTypeAdjacentAndOrphanI() {
        NerScores s = new NerScores();
        s.add(t("B-PER I-PER O B-LOC"), t("B-PER O O B-LOC")); // PER too short: wrong; LOC right
        s.add(t("B-ORG I-ORG"), t("B-PER I-PER")); // right span, wrong type
        s.add(t("B-PER B-PER"), t("B-PER I-PER")); // two adjacent gold entities predicted as one
        s.add(t("O B-LOC I-LOC"), t("O I-LOC I-LOC")); // I- without B- still makes the right chunk
        NerScores.Counts m = s.micro();
        assertEquals(new NerScores.Counts(2, 5, 6), m);
        assertEquals(0.4, m.precision(), 1e-12);
        assertEquals(1.0 / 3, m.recall(), 1e-12);
        assertEquals(4.0 / 11, m.f1(), 1e-12); // 2 * 0.4 * (1/3) / (0.4 + 1/3)
        assertEquals(new NerScores.Counts(0, 3, 3), s.perType().get("PER"));
        assertEquals(new NerScores.Counts(2, 2, 2), s.perType().get("LOC"));
        assertEquals(new NerScores.Counts(0, 0, 1), s.perType().get("ORG"));
        assertEquals(0.0, s.perType().get("ORG").f1());
    }

    @Test
    void perfectAndEmpty() {
        NerScores s = new NerScores();
        s.add(t("B-A I-A O B-B"), t("B-A I-A O B-B"));
        assertEquals(1.0, s.micro().f1(), 1e-12);
        NerScores none = new NerScores();
        none.add(t("O O"), t("O O"));
        assertEquals(0.0, none.micro().f1());
    }
}
