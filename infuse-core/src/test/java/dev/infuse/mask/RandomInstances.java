package dev.infuse.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random instances for property tests: [CLS] words of 1-4 pieces [SEP], sometimes padding, some mentions. */
final class RandomInstances {
    static final int VOCAB = 1000;
    static final int CLS = 1;
    static final int SEP = 2;
    static final int PAD = 0;
    static final int MASK = 3;

    private RandomInstances() {}

    static boolean isSpecial(int id) {
        return id < 5;
    }

    static TokenInstance next(Random rng) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        List<int[]> wordSpans = new ArrayList<>();
        ids.add(CLS);
        words.add(-1);
        int nWords = 1 + rng.nextInt(60);
        for (int w = 0; w < nWords; w++) {
            int pieces = 1 + (rng.nextInt(4) == 0 ? 1 + rng.nextInt(3) : 0);
            int start = ids.size();
            for (int p = 0; p < pieces; p++) {
                ids.add(5 + rng.nextInt(VOCAB - 5));
                words.add(w);
            }
            wordSpans.add(new int[] {start, ids.size()});
            // A second segment now and then: a special token inside the sequence.
            if (rng.nextInt(25) == 0) {
                ids.add(SEP);
                words.add(-1);
            }
        }
        ids.add(SEP);
        words.add(-1);
        int pad = rng.nextInt(3) == 0 ? rng.nextInt(8) : 0;
        for (int i = 0; i < pad; i++) {
            ids.add(PAD);
            words.add(-1);
        }
        List<int[]> mentions = new ArrayList<>();
        int w = 0;
        while (w < wordSpans.size()) {
            int len = 1 + rng.nextInt(3);
            if (rng.nextInt(4) == 0 && w + len <= wordSpans.size() && contiguous(wordSpans, w, len)) {
                mentions.add(new int[] {wordSpans.get(w)[0], wordSpans.get(w + len - 1)[1]});
                w += len;
            } else {
                w++;
            }
        }
        int n = ids.size();
        int[] a = new int[n];
        int[] wi = new int[n];
        boolean[] sp = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = ids.get(i);
            wi[i] = words.get(i);
            sp[i] = isSpecial(a[i]);
        }
        return new TokenInstance(a, sp, wi, mentions);
    }

    private static boolean contiguous(List<int[]> spans, int from, int len) {
        for (int k = from + 1; k < from + len; k++) {
            if (spans.get(k)[0] != spans.get(k - 1)[1]) {
                return false;
            }
        }
        return true;
    }
}
