package dev.infuse.task;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A task with one label per example (typing, relation, classification): the size, label map and scoring
 * are the same for all of them; only reading and encoding differ.
 *
 * @param <E> the example type
 */
public abstract class SingleLabelSet<E> implements TaskSet {
    protected final List<E> examples;

    protected SingleLabelSet(List<E> examples) {
        this.examples = List.copyOf(examples);
    }

    /** The gold label of an example. */
    protected abstract String label(E example);

    /** The example's input fields as a prediction file repeats them (the text, the span), without its label. */
    protected abstract Map<String, Object> fields(E example);

    /** Example {@code i}'s input fields, in its file's names; see {@link #fields(Object)}. */
    public Map<String, Object> fields(int i) {
        return fields(examples.get(i));
    }

    /** Example {@code i}'s gold label. */
    public String gold(int i) {
        return label(examples.get(i));
    }

    /** The example's bucket for per-bucket scores, or null when the task has none. */
    protected String bucket(E example) {
        return null;
    }

    public List<E> examples() {
        return examples;
    }

    @Override
    public int size() {
        return examples.size();
    }

    @Override
    public int items(int i) {
        return 1;
    }

    @Override
    public List<String> labelsInOrder() {
        return new ArrayList<>(new LinkedHashSet<>(examples.stream().map(this::label).toList()));
    }

    @Override
    public Scores score(List<int[]> predicted, Labels labels) {
        List<String> pred = new ArrayList<>();
        boolean buckets = false;
        for (int i = 0; i < examples.size(); i++) {
            int id = predicted.get(i)[0];
            pred.add(id < 0 ? null : labels.name(id));
            buckets |= bucket(examples.get(i)) != null;
        }
        List<String> gold = examples.stream().map(this::label).toList();
        return LabelScores.of(gold, pred, buckets ? examples.stream().map(this::bucket).toList() : null);
    }
}
