package dev.infuse.mask;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Maskable units of an instance as token spans {@code [start, end)}, and the greedy fill all strategies share. */
final class Units {
    private Units() {}

    /** Each non-special token alone. */
    static List<int[]> tokens(TokenInstance in) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (!in.special()[i]) {
                out.add(new int[] {i, i + 1});
            }
        }
        return out;
    }

    /** Maximal runs of non-special tokens with one word id: the pieces of a word stay together. */
    static List<int[]> words(TokenInstance in) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < in.size()) {
            if (in.special()[i]) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < in.size() && !in.special()[j] && in.wordIds()[j] == in.wordIds()[i] && in.wordIds()[i] >= 0) {
                j++;
            }
            out.add(new int[] {i, j});
            i = j;
        }
        return out;
    }

    /**
     * Takes units in random order while they fit the budget and touch nothing already chosen. A unit that
     * would overshoot is skipped rather than cut, so units are only ever masked whole.
     */
    static int fill(boolean[] chosen, List<int[]> units, int budget, int used, Random rng) {
        List<int[]> order = new ArrayList<>(units);
        Collections.shuffle(order, rng);
        for (int[] u : order) {
            if (used >= budget) {
                break;
            }
            if (u[1] - u[0] <= budget - used && free(chosen, u)) {
                mark(chosen, u);
                used += u[1] - u[0];
            }
        }
        return used;
    }

    static boolean free(boolean[] chosen, int[] u) {
        for (int i = u[0]; i < u[1]; i++) {
            if (chosen[i]) {
                return false;
            }
        }
        return true;
    }

    static void mark(boolean[] chosen, int[] u) {
        for (int i = u[0]; i < u[1]; i++) {
            chosen[i] = true;
        }
    }

    static boolean overlaps(int[] a, int[] b) {
        return a[0] < b[1] && b[0] < a[1];
    }
}
