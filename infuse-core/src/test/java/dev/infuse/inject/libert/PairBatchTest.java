package dev.infuse.inject.libert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LIBERT's pair batches: each related pair, then its two negatives made with the nearest other word of the batch. */
class PairBatchTest {
    static final List<String[]> RELATIONS = List.of(new String[] {"car", "auto"}, new String[] {"car", "vehicle"},
            new String[] {"dog", "canine"}, new String[] {"dog", "domestic animal"}, new String[] {"run", "move"}, new String[] {"auto", "car"});

    /** Nearest by length difference, ties to the earlier candidate: a similarity the test can predict. */
    static final PairBatch.Nearest BY_LENGTH = (w, candidates) -> candidates.stream()
            .min(java.util.Comparator.comparingInt(c -> Math.abs(c.length() - w.length()))).orElseThrow();

    @Test
    void aNegativeNeverRepeatsItsPositive() {
        Random rng = new Random(3);
        for (int round = 0; round < 500; round++) {
            PairBatch b = PairBatch.draw(RELATIONS, 1 + rng.nextInt(4), rng, BY_LENGTH);
            String[] positive = null;
            for (int i = 0; i < b.pairs().size(); i++) {
                String[] row = b.pairs().get(i);
                if (b.labels()[i] == 1) {
                    positive = row;
                    continue;
                }
                assertFalse(java.util.Set.of(row[0], row[1]).equals(java.util.Set.of(positive[0], positive[1])),
                        String.join("/", row) + " repeats " + String.join("/", positive));
                assertTrue(row[0].equals(positive[0]) != row[1].equals(positive[1]), "exactly one side is swapped");
            }
        }
    }

    @Test
    void theNegativesSwapInTheNearestOtherWordOfTheBatch() {
        List<String[]> two = List.of(new String[] {"dog", "canine"}, new String[] {"run", "move"});
        // With one positive of each, drawn in a fixed order by a rigged generator
        Random first = new Random() {
            int calls;

            @Override
            public int nextInt(int bound) {
                return calls++ % 2;
            }
        };
        PairBatch b = PairBatch.draw(two, 2, first, BY_LENGTH);
        assertEquals(6, b.pairs().size());
        assertArrayEquals(new long[] {1, 0, 0, 1, 0, 0}, b.labels());
        assertArrayEquals(new String[] {"dog", "move"}, b.pairs().get(1), "for canine (6 letters): move (4) is nearer than run (3)");
        assertArrayEquals(new String[] {"run", "canine"}, b.pairs().get(2), "for dog (3): run (3)");
        assertArrayEquals(new String[] {"run", "dog"}, b.pairs().get(4), "for move (4): dog (3) is nearer than canine (6)");
        assertArrayEquals(new String[] {"dog", "move"}, b.pairs().get(5), "for run (3): dog (3)");
    }
}
