package dev.infuse.task.probe;

/**
 * One LAMA probe: a sentence with one {@code [MASK]} whose answer is {@code objLabel}.
 *
 * @param line the 1-based line in the probe file, for messages
 * @param bucket an optional group such as {@code rare} or {@code frequent}; empty when absent
 * @param entity an optional entity id naming {@code subLabel}; empty when absent
 */
public record ProbeItem(int line, String subLabel, String objLabel, String sentence, String relation, String bucket,
        String entity) {}
