package dev.infuse.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the builder's edge hash table into the read-only lookup structures of {@link MentionMatcher}
 * (see the field comments there): the compacted edge table, the root and ASCII-pair tables, the
 * bit filter, and the tail-compressed chains. Separate so the matcher itself stays readable.
 */
final class TrieCompiler {
    private static final long EMPTY = -1L;

    private TrieCompiler() {}

    record Compiled(long[] table, int[] rootChildren, int[] asciiPairs, long[] filter, int filterShift, int mask,
            int shift, int[] tailAt, int[] tails) {}

    static Compiled compile(long[] bKeys, int[] bChildren, int[] terminal, int nodes) {
        long[] table;
        int[] rootChildren;
        int[] asciiPairs;
        long[] filter;
        int filterShift;
        int mask;
        int shift;
        int[] tailAt;
        int[] tails;
        int[][] t = tails(bKeys, bChildren, terminal, nodes);
        tailAt = t[0];
        tails = t[1];
        boolean[] interior = new boolean[nodes];
        // Mark interior nodes properly in id order (a child's id is always larger than its parent's).
        int[] parentOf = new int[nodes];
        for (int i = 0; i < bKeys.length; i++) {
            if (bKeys[i] != EMPTY) {
                parentOf[bChildren[i]] = (int) (bKeys[i] >>> 21);
            }
        }
        for (int n = 1; n < nodes; n++) {
            int p = parentOf[n];
            interior[n] = p != 0 && (tailAt[p] >= 0 || interior[p]);
        }
        int kept = 0;
        for (int i = 0; i < bKeys.length; i++) {
            if (bKeys[i] != EMPTY && !interior[bChildren[i]]) {
                kept++;
            }
        }
        // Edges below a chain head are never walked (the tail is compared instead), so leave them out.
        int slots = Integer.highestOneBit(Math.max(2, kept) * 2 - 1) * 2;
        long[] keys = new long[slots];
        int[] children = new int[slots];
        Arrays.fill(keys, EMPTY);
        int shiftK = 64 - Integer.numberOfTrailingZeros(slots);
        for (int i = 0; i < bKeys.length; i++) {
            long k = bKeys[i];
            if (k != EMPTY && !interior[bChildren[i]]) {
                int h = (int) ((k * 0x9E3779B97F4A7C15L) >>> shiftK);
                while (keys[h] != EMPTY) {
                    h = (h + 1) & (slots - 1);
                }
                keys[h] = k;
                children[h] = bChildren[i];
            }
        }
        table = new long[slots * 2];
        rootChildren = new int[1 << 16];
        Arrays.fill(rootChildren, -1);
        for (int i = 0; i < slots; i++) {
            table[2 * i] = keys[i];
            table[2 * i + 1] = children[i];
            long k = keys[i];
            if (k != EMPTY && (k >>> 21) == 0 && (k & 0x1FFFFF) < (1 << 16)) {
                rootChildren[(int) k] = children[i];
            }
        }
        asciiPairs = new int[128 * 128];
        Arrays.fill(asciiPairs, -1);
        Map<Integer, Integer> asciiRoot = new HashMap<>();
        for (int c1 = 0; c1 < 128; c1++) {
            if (rootChildren[c1] >= 0) {
                asciiRoot.put(rootChildren[c1], c1);
            }
        }
        for (int i = 0; i < slots; i++) {
            long k = keys[i];
            Integer c1 = k == EMPTY ? null : asciiRoot.get((int) (k >>> 21));
            if (c1 != null && (k & 0x1FFFFF) < 128) {
                asciiPairs[(c1 << 7) | (int) (k & 0x1FFFFF)] = children[i];
            }
        }
        // About 8 bits per edge: roughly 12% false positives, in a table a fraction of the edges' size.
        int filterBits = Math.max(1 << 12, Integer.highestOneBit(Math.max(1, kept)) * 8);
        filter = new long[filterBits / 64];
        filterShift = 64 - Integer.numberOfTrailingZeros(filterBits);
        for (long k : keys) {
            if (k != EMPTY) {
                int bit = (int) ((k * 0xC2B2AE3D27D4EB4FL) >>> filterShift);
                filter[bit >>> 6] |= 1L << bit;
            }
        }
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        return new Compiled(table, rootChildren, asciiPairs, filter, filterShift, mask, shift, tailAt, tails);
    }

    /** Builds {@code MentionMatcher.tailAt} and {@code tails} from the builder's edges; see {@code MentionMatcher.tailAt}. */
    private static int[][] tails(long[] bKeys, int[] bChildren, int[] terminal, int nodes) {
        int[] childCount = new int[nodes];
        int[] onlyChild = new int[nodes];
        int[] onlyCp = new int[nodes];
        int[] parentOf = new int[nodes];
        for (int i = 0; i < bKeys.length; i++) {
            long k = bKeys[i];
            if (k != EMPTY) {
                int parent = (int) (k >>> 21);
                parentOf[bChildren[i]] = parent;
                childCount[parent]++;
                onlyChild[parent] = bChildren[i];
                onlyCp[parent] = (int) (k & 0x1FFFFF);
            }
        }
        // chainLen[n] >= 0: below n is one unbranched path of that many edges to a leaf, with no
        // surface ending on the way. Children always have larger ids than parents.
        int[] chainLen = new int[nodes];
        for (int n = nodes - 1; n >= 0; n--) {
            if (childCount[n] == 0) {
                chainLen[n] = 0;
            } else if (childCount[n] == 1 && terminal[n] == 0 && chainLen[onlyChild[n]] >= 0) {
                chainLen[n] = 1 + chainLen[onlyChild[n]];
            } else {
                chainLen[n] = -1;
            }
        }
        int[] tailAt = new int[nodes];
        Arrays.fill(tailAt, -1);
        int total = 0;
        boolean[] head = new boolean[nodes];
        for (int n = 1; n < nodes; n++) {
            int p = parentOf[n];
            head[n] = chainLen[n] > 0 && terminal[n] == 0 && (p == 0 || chainLen[p] < 0 || terminal[p] != 0);
            if (head[n]) {
                total += 2 + chainLen[n];
            }
        }
        int[] pool = new int[total];
        int at = 0;
        for (int n = 1; n < nodes; n++) {
            // Only chain heads get an entry; nodes further down are never reached by the walk.
            if (head[n]) {
                tailAt[n] = at;
                pool[at] = chainLen[n];
                int x = n;
                for (int k = 0; k < chainLen[n]; k++) {
                    pool[at + 2 + k] = onlyCp[x];
                    x = onlyChild[x];
                }
                pool[at + 1] = terminal[x];
                at += 2 + chainLen[n];
            }
        }
        return new int[][] {tailAt, pool};
    }
}
