package dev.infuse.task;

import java.util.List;

/** One file of one task, read and checked: what the shared trainer and evaluator need from a task. */
public interface TaskSet {
    int size();

    /** Every gold label of the file, in order of first appearance (the label map is built from training's). */
    List<String> labelsInOrder();

    /** Example {@code i} as token ids and targets, cut to {@code maxLen} tokens; targets cut off are dropped. */
    Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels);

    /** How many items example {@code i} has to predict (words for NER, 1 for the others). */
    int items(int i);

    /**
     * Scores predicted label ids: {@code predicted.get(i)[ref]} for every item of example i, -1 where
     * truncation dropped the item: scored as "nothing" (O for NER, an error for the others).
     */
    Scores score(List<int[]> predicted, Labels labels);
}
