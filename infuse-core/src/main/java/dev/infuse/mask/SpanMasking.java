package dev.infuse.mask;

import java.util.List;
import java.util.Random;

/**
 * SpanBERT's masking: spans of whole words whose length in words follows a geometric distribution
 * (p = 0.2) truncated at 10, mean about 3.8 words, placed at random until the budget is spent.
 */
public final class SpanMasking implements MaskingStrategy {
    public static final double P = 0.2;
    public static final int MAX_WORDS = 10;

    @Override
    public String name() {
        return "span";
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        boolean[] chosen = new boolean[in.size()];
        List<int[]> words = Units.words(in);
        if (words.isEmpty()) {
            return chosen;
        }
        int used = 0;
        // Bounded tries: near the end of the budget most spans overshoot and are redrawn shorter or elsewhere.
        for (int attempt = 0; attempt < 10 * budget + 10 && used < budget; attempt++) {
            int len = spanLength(rng);
            int first = rng.nextInt(words.size());
            int last = Math.min(words.size(), first + len) - 1;
            // Spans stay inside one run of words: a special token between two words ends the span.
            int[] span = {words.get(first)[0], words.get(first)[1]};
            for (int w = first + 1; w <= last && words.get(w)[0] == span[1]; w++) {
                span[1] = words.get(w)[1];
            }
            if (span[1] - span[0] <= budget - used && Units.free(chosen, span)) {
                Units.mark(chosen, span);
                used += span[1] - span[0];
            }
        }
        return chosen;
    }

    /** Geometric(p) on 1, 2, ... redrawn above the cap: the truncated distribution SpanBERT samples. */
    static int spanLength(Random rng) {
        while (true) {
            int len = 1;
            while (rng.nextDouble() >= P) {
                len++;
            }
            if (len <= MAX_WORDS) {
                return len;
            }
        }
    }
}
