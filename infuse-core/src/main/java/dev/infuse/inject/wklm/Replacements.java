package dev.infuse.inject.wklm;

import java.util.Random;

/**
 * Which of a window's m mentions are swapped: never two in a row (WKLM's rule), and half of them on average. A
 * window swaps ⌊m/2⌋ or ⌈m/2⌉ mentions (each with probability one half when m is odd, so the mean is m/2), and
 * the swapped set is drawn uniformly among the sets of that size with no two neighbours: choose k of the
 * m − k + 1 slots, then spread the i-th choice by i.
 */
final class Replacements {
    private Replacements() {}

    static boolean[] choose(int m, Random rng) {
        boolean[] out = new boolean[m];
        if (m == 0) {
            return out;
        }
        int k = m / 2 + (m % 2 == 1 && rng.nextBoolean() ? 1 : 0);
        int slots = m - k + 1;
        // k distinct slots of [0, slots), ascending: a partial Fisher-Yates over the slot numbers
        int[] pool = new int[slots];
        for (int i = 0; i < slots; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(slots - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] picked = java.util.Arrays.copyOf(pool, k);
        java.util.Arrays.sort(picked);
        for (int i = 0; i < k; i++) {
            out[picked[i] + i] = true;
        }
        return out;
    }
}
