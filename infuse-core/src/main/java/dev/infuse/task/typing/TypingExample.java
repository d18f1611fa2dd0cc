package dev.infuse.task.typing;

/**
 * One typing example: the mention {@code text[start, end)} (Java chars) has type {@code label}.
 *
 * @param bucket optional group for per-bucket scores (FOLDOC: frequent or rare entity), else null
 * @param entity the id of the entity mentioned, or null
 */
public record TypingExample(String text, int start, int end, String label, String bucket, String entity) {}
