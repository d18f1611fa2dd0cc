package dev.infuse.inject.nmg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NmgReplayMemoryTest {
    static Experience experience(float reward, float mark) {
        return new Experience(new float[] {mark, 1, 2, 3}, 2, new boolean[] {false, true}, new int[] {1}, new float[] {-0.5f}, reward);
    }

    static ReplayMemory crafted() {
        ReplayMemory m = new ReplayMemory(10);
        m.add(experience(1, 0));
        m.add(experience(-1, 1));
        m.add(experience(0, 2));
        return m;
    }

    @Test
    void probabilitiesFollowExpOfTheCriticsError() {
        // |r − V| = 0.5, 1.5, 0: weights e^0.5, e^1.5, e^0 = 1.6487213, 4.4816891, 1; total 7.1304104
        double[] p = crafted().probabilities(new double[] {0.5, 0.5, 0});
        assertArrayEquals(new double[] {0.2312241, 0.6285316, 0.1402443}, p, 1e-6);
    }

    @Test
    void samplingIsSeededAndFollowsTheProbabilities() {
        ReplayMemory m = crafted();
        double[] v = {0.5, 0.5, 0};
        assertArrayEquals(m.sample(50, v, new Random(3)), m.sample(50, v, new Random(3)));
        int[] counts = new int[3];
        for (int i : m.sample(20_000, v, new Random(11))) {
            counts[i]++;
        }
        assertEquals(0.2312, counts[0] / 20_000.0, 0.015);
        assertEquals(0.6285, counts[1] / 20_000.0, 0.015);
        assertEquals(0.1402, counts[2] / 20_000.0, 0.015);
    }

    @Test
    void aFullMemoryDropsItsOldestAndRoundTripsThroughACheckpoint() {
        ReplayMemory m = new ReplayMemory(2);
        m.add(experience(1, 0));
        m.add(experience(-1, 1));
        m.add(experience(0, 2));
        assertEquals(2, m.size());
        assertEquals(1f, m.entries().get(0).state()[0], "the first experience went");
        ReplayMemory back = ReplayMemory.restore(2, m.export());
        assertEquals(2, back.size());
        for (int i = 0; i < 2; i++) {
            Experience a = m.entries().get(i);
            Experience b = back.entries().get(i);
            assertArrayEquals(a.state(), b.state());
            assertArrayEquals(a.maskable(), b.maskable());
            assertArrayEquals(a.positions(), b.positions());
            assertArrayEquals(a.oldLogProbs(), b.oldLogProbs());
            assertEquals(a.reward(), b.reward());
        }
    }
}
