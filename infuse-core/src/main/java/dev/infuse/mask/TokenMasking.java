package dev.infuse.mask;

import java.util.Random;

/** BERT's original masking: tokens chosen one by one, so a word's pieces may be split. */
public final class TokenMasking implements MaskingStrategy {
    @Override
    public String name() {
        return "token";
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        boolean[] chosen = new boolean[in.size()];
        Units.fill(chosen, Units.tokens(in), budget, 0, rng);
        return chosen;
    }
}
