package dev.infuse.task;

/**
 * One thing to classify inside an encoded row: {@code groups[k]} are token positions whose states are
 * averaged, and the K averages are concatenated (K = 1 for a word, a span or [CLS]; 2 for a relation's
 * head and tail markers).
 *
 * @param ref which item of the example this predicts (the word index for NER; 0 otherwise), so a target
 *     lost to truncation can still be scored as "no prediction"
 * @param label the gold label id, or -1 when the label was never seen in training (never trained on,
 *     always counted as an error)
 */
public record Target(int[][] groups, int ref, int label) {}
