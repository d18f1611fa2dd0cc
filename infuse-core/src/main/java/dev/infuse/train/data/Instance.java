package dev.infuse.train.data;

import dev.infuse.mask.TokenInstance;

import java.util.List;

/**
 * One training sequence with the numbers that seed its masks.
 *
 * @param entities the linked entity id of each of {@code tokens.entitySpans()}, in the same order; "" when unknown
 * @param replaced which mentions an objective put there in place of the corpus's own (WKLM), by index into
 *     {@code entities}; empty for the corpus as it is
 */
public record Instance(long epoch, long index, TokenInstance tokens, List<String> entities, java.util.Set<Integer> replaced) {
    public Instance(long epoch, long index, TokenInstance tokens) {
        this(epoch, index, tokens, null);
    }

    public Instance(long epoch, long index, TokenInstance tokens, List<String> entities) {
        this(epoch, index, tokens, entities, java.util.Set.of());
    }

    public Instance {
        entities = entities == null ? java.util.Collections.nCopies(tokens.entitySpans().size(), "") : List.copyOf(entities);
        replaced = replaced == null ? java.util.Set.of() : java.util.Set.copyOf(replaced);
        if (entities.size() != tokens.entitySpans().size()) {
            throw new IllegalArgumentException(tokens.entitySpans().size() + " entity spans but " + entities.size() + " entity ids");
        }
    }
}
