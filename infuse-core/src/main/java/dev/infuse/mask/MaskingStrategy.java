package dev.infuse.mask;

import java.util.Random;

/**
 * Decides which tokens of an instance the model must predict. Every strategy chooses whole units (a
 * token, a word, an entity mention, a span of words), never a special token, and at most {@code budget}
 * tokens. What the chosen tokens are replaced with is {@link Masker}'s job, shared by all strategies.
 */
public interface MaskingStrategy {
    /** The name {@code --masking} uses for it. */
    String name();

    /**
     * @param budget the number of tokens to choose (the mask rate times the maskable tokens); a strategy
     *     whose units do not add up to it exactly stops below it, never above
     * @return one flag per token, true where the token is to be predicted
     */
    boolean[] choose(TokenInstance instance, int budget, Random rng);

    /** Whether it needs linked entity mentions to mean what its name says (pretraining checks the corpus has them). */
    default boolean usesEntities() {
        return false;
    }
}
