package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {
    private static List<Integer> lengths(int n, long seed) {
        Random r = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(5 + r.nextInt(90));
        }
        return out;
    }

    /** Sum over batches of batch size times the longest member: the tokens a padded forward computes. */
    private static long padded(List<Integer> order, List<Integer> lengths, int batchSize) {
        long total = 0;
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            total += (long) batch.size() * batch.stream().mapToInt(lengths::get).max().orElseThrow();
        }
        return total;
    }

    @Test
    void everyExampleOnceAndOnlyTheLastBatchShort() {
        List<Integer> lengths = lengths(2_003, 1);
        List<Integer> order = LengthBatches.shuffledOrder(lengths, 16, new Random(7));
        assertEquals(2_003, order.size());
        assertEquals(2_003, new HashSet<>(order).size());
        // 2,003 = 125 * 16 + 3: the three left over must come last, or slices of 16 would straddle two sorted batches
        for (int from = 0; from < 2_000; from += 16) {
            List<Integer> ls = order.subList(from, from + 16).stream().map(lengths::get).toList();
            int spread = ls.stream().mapToInt(Integer::intValue).max().orElseThrow() - ls.stream().mapToInt(Integer::intValue).min().orElseThrow();
            assertTrue(spread <= 10, "batch at " + from + " spans lengths " + ls);
        }
    }

    @Test
    void padsFarLessThanAPlainShuffleAndStaysRandom() {
        List<Integer> lengths = lengths(3_200, 2);
        List<Integer> grouped = LengthBatches.shuffledOrder(lengths, 16, new Random(3));
        List<Integer> plain = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            plain.add(i);
        }
        java.util.Collections.shuffle(plain, new Random(3));
        long real = lengths.stream().mapToLong(Integer::longValue).sum();
        // uniform lengths 5..94: a plain shuffle pads to about 89 per example, grouping to within a few tokens of the real 50
        assertTrue(padded(plain, lengths, 16) > 1.6 * real, "plain " + padded(plain, lengths, 16) + " real " + real);
        assertTrue(padded(grouped, lengths, 16) < 1.1 * real, "grouped " + padded(grouped, lengths, 16) + " real " + real);
        // the batches are not simply sorted: consecutive batches' first lengths go up and down
        int drops = 0;
        for (int b = 16; b < grouped.size(); b += 16) {
            if (lengths.get(grouped.get(b)) < lengths.get(grouped.get(b - 16))) {
                drops++;
            }
        }
        assertTrue(drops > 50, "only " + drops + " of 199 batch starts fall");
    }

    @Test
    void sameSeedSameOrderOtherSeedOtherOrder() {
        List<Integer> lengths = lengths(500, 3);
        assertEquals(LengthBatches.shuffledOrder(lengths, 8, new Random(11)), LengthBatches.shuffledOrder(lengths, 8, new Random(11)));
        assertNotEquals(LengthBatches.shuffledOrder(lengths, 8, new Random(11)), LengthBatches.shuffledOrder(lengths, 8, new Random(12)));
    }
}
