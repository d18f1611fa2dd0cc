package dev.infuse.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ERNIE-Baidu's entity-level masking: linked mentions are hidden whole, so the model must recall the
 * entity from its context rather than from its other pieces. Mentions come first; when they do not fill
 * the budget, whole words that touch no mention make up the rest, so the mask rate stays the same as
 * the other strategies' (and a mention is never half-hidden by the fill).
 */
public final class EntityMasking implements MaskingStrategy {
    @Override
    public String name() {
        return "entity";
    }

    @Override
    public boolean usesEntities() {
        return true;
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        boolean[] chosen = new boolean[in.size()];
        int used = Units.fill(chosen, in.entitySpans(), budget, 0, rng);
        List<int[]> words = new ArrayList<>();
        for (int[] w : Units.words(in)) {
            if (in.entitySpans().stream().noneMatch(s -> Units.overlaps(s, w))) {
                words.add(w);
            }
        }
        Units.fill(chosen, words, budget, used, rng);
        return chosen;
    }
}
