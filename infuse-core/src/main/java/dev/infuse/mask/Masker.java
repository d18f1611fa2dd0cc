package dev.infuse.mask;

import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Applies a strategy to an instance with BERT's replacement rule: of the chosen tokens, 80% become
 * [MASK], 10% a random non-special token and 10% stay, so the model cannot learn that only [MASK]
 * positions matter.
 *
 * <p>Dynamic masking (RoBERTa): the masks for an instance are a pure function of (seed, epoch, instance
 * index), so every epoch draws new ones and a resumed run draws exactly the masks the first run would have.
 */
public final class Masker {
    private final MaskingStrategy strategy;
    private final double rate;
    private final int maskId;
    private final int vocabSize;
    private final IntPredicate isSpecial;

    /**
     * @param rate share of maskable tokens to predict, in (0, 1); BERT uses 0.15
     * @param isSpecial ids never drawn as random replacements
     */
    public Masker(MaskingStrategy strategy, double rate, int maskId, int vocabSize, IntPredicate isSpecial) {
        if (!(rate > 0 && rate < 1)) {
            throw new dev.infuse.InfuseException("--mlm-probability must be in (0, 1), found " + rate);
        }
        if (maskId < 0 || maskId >= vocabSize) {
            throw new IllegalArgumentException("mask id " + maskId + " is outside the vocabulary (" + vocabSize + ")");
        }
        this.strategy = strategy;
        this.rate = rate;
        this.maskId = maskId;
        this.vocabSize = vocabSize;
        this.isSpecial = isSpecial;
    }

    /** A masker that only replaces: its tokens are chosen by a {@code ModelMasking} that reads the model first. */
    public static Masker replacing(int maskId, int vocabSize, IntPredicate isSpecial) {
        return new Masker(null, 0.15, maskId, vocabSize, isSpecial);
    }

    /** The strategy, or null for a {@link #replacing} masker. */
    public MaskingStrategy strategy() {
        return strategy;
    }

    /** The number of tokens to choose: the rate times the maskable tokens, rounded, at least one if any. */
    public int budget(TokenInstance in) {
        int n = in.maskable();
        return n == 0 ? 0 : (int) Math.max(1, Math.round(rate * n));
    }

    /** Masks instance {@code index} of {@code epoch}, deterministically. */
    public MaskedExample mask(TokenInstance in, long seed, long epoch, long index) {
        return mask(in, rngFor(seed, epoch, index));
    }

    public MaskedExample mask(TokenInstance in, Random rng) {
        if (strategy == null) {
            throw new IllegalStateException("this masker only replaces tokens chosen elsewhere; call apply");
        }
        return apply(in, strategy.choose(in, budget(in), rng), rng);
    }

    /**
     * BERT's replacement of tokens chosen elsewhere (a policy that read the model): the same rule and the same
     * draws from {@code rng} as {@link #mask}, so every way of choosing corrupts alike.
     */
    public MaskedExample apply(TokenInstance in, boolean[] chosen, Random rng) {
        if (chosen.length != in.size()) {
            throw new IllegalArgumentException(chosen.length + " choices for " + in.size() + " tokens");
        }
        String who = strategy == null ? "the model's masking" : strategy.name();
        int[] input = in.ids().clone();
        int[] labels = new int[in.size()];
        java.util.Arrays.fill(labels, MaskedExample.IGNORE);
        for (int i = 0; i < chosen.length; i++) {
            if (!chosen[i]) {
                continue;
            }
            if (in.special()[i]) {
                throw new IllegalStateException(who + " chose special token " + i);
            }
            labels[i] = in.ids()[i];
            double r = rng.nextDouble();
            if (r < 0.8) {
                input[i] = maskId;
            } else if (r < 0.9) {
                input[i] = randomToken(rng);
            }
        }
        return new MaskedExample(input, labels);
    }

    private int randomToken(Random rng) {
        for (int tries = 0; tries < 1000; tries++) {
            int id = rng.nextInt(vocabSize);
            if (!isSpecial.test(id)) {
                return id;
            }
        }
        return maskId; // A vocabulary of nearly only specials; [MASK] is still a correct corruption.
    }

    /** A generator seeded by mixing (seed, epoch, index) through SplitMix64, so nearby triples do not correlate. */
    public static Random rngFor(long seed, long epoch, long index) {
        long h = mix(mix(mix(seed) ^ epoch) ^ index);
        return new Random(h);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
