package dev.infuse.mask;

import java.util.Random;

/**
 * Whole-word masking: all pieces of a word or none. Words are the instance's word ids: WordPiece words
 * for space-separated text, segmenter words for Chinese (see {@code dev.infuse.text.ChineseWords}).
 */
public final class WholeWordMasking implements MaskingStrategy {
    @Override
    public String name() {
        return "wwm";
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        boolean[] chosen = new boolean[in.size()];
        Units.fill(chosen, Units.words(in), budget, 0, rng);
        return chosen;
    }
}
