package dev.infuse.train.data;

import dev.infuse.mask.TokenInstance;

import java.util.List;

/**
 * One training sequence with the numbers that seed its masks.
 *
 * @param entities the linked entity id of each of {@code tokens.entitySpans()}, in the same order; "" when unknown
 */
public record Instance(long epoch, long index, TokenInstance tokens, List<String> entities) {
    public Instance(long epoch, long index, TokenInstance tokens) {
        this(epoch, index, tokens, null);
    }

    public Instance {
        entities = entities == null ? java.util.Collections.nCopies(tokens.entitySpans().size(), "") : List.copyOf(entities);
        if (entities.size() != tokens.entitySpans().size()) {
            throw new IllegalArgumentException(tokens.entitySpans().size() + " entity spans but " + entities.size() + " entity ids");
        }
    }
}
