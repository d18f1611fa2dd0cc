package dev.infuse.inject.nmg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Turns one text's log-probabilities over its tokens into the k tokens to mask: sampled without replacement
 * while the policy learns (so it explores), the k most probable at use (so a policy always masks a text the
 * same way).
 */
public final class Actions {
    private Actions() {}

    /**
     * The k most probable maskable tokens, in position order; ties go to the earlier token, so the choice
     * depends on nothing but the numbers.
     */
    public static int[] topK(float[] logProbs, boolean[] maskable, int k) {
        List<Integer> candidates = candidates(maskable);
        candidates.sort(Comparator.<Integer>comparingDouble(i -> -logProbs[i]).thenComparingInt(i -> i));
        return sorted(candidates.subList(0, Math.min(k, candidates.size())));
    }

    /**
     * k maskable tokens drawn one after another, each with probability proportional to π among those not yet
     * drawn (the Plackett-Luce draw torch's {@code multinomial(replacement=False)} makes), in position order.
     */
    public static int[] sample(float[] logProbs, boolean[] maskable, int k, Random rng) {
        List<Integer> left = candidates(maskable);
        List<Integer> drawn = new ArrayList<>();
        while (drawn.size() < k && !left.isEmpty()) {
            double total = 0;
            for (int i : left) {
                total += Math.exp(logProbs[i]);
            }
            double u = rng.nextDouble() * total;
            int pick = left.size() - 1; // rounding may leave u just above the last cumulative sum
            double cum = 0;
            for (int j = 0; j < left.size(); j++) {
                cum += Math.exp(logProbs[left.get(j)]);
                if (u < cum) {
                    pick = j;
                    break;
                }
            }
            drawn.add(left.remove(pick));
        }
        return sorted(drawn);
    }

    /** k tokens uniformly at random, the random agent's choice: the same number the policy masks. */
    public static int[] uniform(boolean[] maskable, int k, Random rng) {
        List<Integer> left = candidates(maskable);
        List<Integer> drawn = new ArrayList<>();
        while (drawn.size() < k && !left.isEmpty()) {
            drawn.add(left.remove(rng.nextInt(left.size())));
        }
        return sorted(drawn);
    }

    public static boolean[] flags(int[] positions, int length) {
        boolean[] f = new boolean[length];
        for (int p : positions) {
            f[p] = true;
        }
        return f;
    }

    private static List<Integer> candidates(boolean[] maskable) {
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < maskable.length; i++) {
            if (maskable[i]) {
                c.add(i);
            }
        }
        return c;
    }

    private static int[] sorted(List<Integer> positions) {
        return positions.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
