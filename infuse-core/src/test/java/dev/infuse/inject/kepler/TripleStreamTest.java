package dev.infuse.inject.kepler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.kge.Triples;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The triple stream: one corrupted head and one corrupted tail per triple, never the true entity; a function of (seed, n). */
class TripleStreamTest {
    static final Triples GRAPH = new Triples(new int[] {0, 1, 2, 3, 4}, new int[] {0, 0, 1, 1, 0}, new int[] {1, 2, 3, 4, 0});

    @Test
    void eachTripleGetsOneCorruptedHeadAndOneCorruptedTailNeverTheTrueOne() {
        TripleStream s = new TripleStream(GRAPH, 5, 3, 9);
        int[] headCounts = new int[5];
        for (long n = 0; n < 2000; n++) {
            TripleStream.Batch b = s.batch(n);
            assertEquals(3, b.size());
            assertEquals(3, b.negativeHeads().length);
            assertEquals(3, b.negativeTails().length);
            for (int i = 0; i < b.size(); i++) {
                assertNotEquals(b.heads()[i], b.negativeHeads()[i], "batch " + n);
                assertNotEquals(b.tails()[i], b.negativeTails()[i], "batch " + n);
                assertEquals(GRAPH.heads()[b.rows()[i]], b.heads()[i]);
                assertEquals(GRAPH.tails()[b.rows()[i]], b.tails()[i]);
                if (b.heads()[i] == 0) {
                    headCounts[b.negativeHeads()[i]]++;
                }
            }
        }
        assertEquals(0, headCounts[0]);
        for (int e = 1; e < 5; e++) { // uniform among the four others: about a quarter each
            assertTrue(headCounts[e] > 200 && headCounts[e] < 400, java.util.Arrays.toString(headCounts));
        }
    }

    @Test
    void everyTripleComesOncePerEpoch() {
        TripleStream s = new TripleStream(GRAPH, 5, 1, 3);
        for (int epoch = 0; epoch < 4; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                seen.add(s.batch(epoch * 5L + i).rows()[0]);
            }
            assertEquals(5, seen.size(), "epoch " + epoch);
        }
    }

    @Test
    void aBatchDependsOnlyOnSeedAndPosition() {
        TripleStream a = new TripleStream(GRAPH, 5, 2, 4);
        TripleStream b = new TripleStream(GRAPH, 5, 2, 4);
        TripleStream.Batch late = a.batch(17);
        a.batch(3);
        assertArrayEquals(late.rows(), b.batch(17).rows());
        assertArrayEquals(late.negativeHeads(), b.batch(17).negativeHeads());
        assertArrayEquals(late.negativeTails(), a.batch(17).negativeTails(), "drawing other batches first changes nothing");
    }
}
