package dev.infuse.domain;

import java.util.List;

/**
 * One thing a domain talks about: a stable id, a display name, other surface forms, a coarse type
 * and a free-text description.
 *
 * <p>The id must not contain whitespace because {@code triples.tsv} is tab-separated and ids are
 * often used as file or label names; validation happens here so every reader gets it for free.
 */
public record Entity(String id, String name, List<String> aliases, String type, String description) {
    public Entity {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("empty id");
        }
        if (id.codePoints().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("id '" + id + "' contains whitespace, expected none");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("empty name for entity '" + id + "'");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String a : aliases) {
            if (a.isBlank()) {
                throw new IllegalArgumentException("empty alias for entity '" + id + "'");
            }
        }
        type = type == null ? "" : type;
        description = description == null ? "" : description;
    }

    /** True if {@code surface} is this entity's name or one of its aliases, ignoring case. */
    public boolean isCalled(String surface) {
        if (name.equalsIgnoreCase(surface)) {
            return true;
        }
        for (String a : aliases) {
            if (a.equalsIgnoreCase(surface)) {
                return true;
            }
        }
        return false;
    }
}
