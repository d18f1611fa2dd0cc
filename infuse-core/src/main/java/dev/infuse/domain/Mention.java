package dev.infuse.domain;

/**
 * A span {@code [start, end)} of a passage, in Java {@code char} offsets, that refers to an entity.
 *
 * <p>Char (UTF-16) offsets because that is what {@link String#substring} takes; the bound against
 * the text length is checked by {@link Passage}, which knows the text.
 */
public record Mention(int start, int end, String entity) {
    public Mention {
        if (start == end) {
            throw new IllegalArgumentException("mention span [" + start + ", " + end + ") is empty, expected start < end");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(
                    "mention span [" + start + ", " + end + ") is invalid, expected 0 <= start < end");
        }
        if (entity == null || entity.isBlank()) {
            throw new IllegalArgumentException("mention [" + start + ", " + end + ") names no entity");
        }
    }
}
