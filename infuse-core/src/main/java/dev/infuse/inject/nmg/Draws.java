package dev.infuse.inject.nmg;

import java.util.Random;

/** Seeded draws an episode makes. */
final class Draws {
    private Draws() {}

    /** {@code min(n, size)} distinct indices of {@code [0, size)}, ascending: a partial Fisher-Yates shuffle. */
    static int[] distinct(int size, int n, Random rng) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        int k = Math.min(n, size);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(size - i);
            int x = all[i];
            all[i] = all[j];
            all[j] = x;
        }
        int[] out = java.util.Arrays.copyOf(all, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
