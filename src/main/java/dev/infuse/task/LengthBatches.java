package dev.infuse.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A task set encoded for a model and handed out in batches of similar length, so a forward pass computes
 * little padding. Each batch knows which examples it holds, so results can be put back in example order.
 */
final class LengthBatches {
    /** @param examples the examples' indices in the set; @param encoded the same examples, encoded, in the same order */
    record Batch(List<Integer> examples, List<Encoded> encoded) {
        /** The encoded examples that have something to predict: what the model is run on. */
        List<Encoded> withTargets() {
            return encoded.stream().filter(e -> !e.targets().isEmpty()).toList();
        }
    }

    private LengthBatches() {}

    static void forEach(TaskModel model, TaskSet set, int batchSize, Consumer<Batch> sink) {
        List<Encoded> encoded = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            encoded.add(set.encode(i, model.encoder(), model.maxSeqLength(), model.labels()));
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> encoded.get(i).row().length()));
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> ids = order.subList(from, Math.min(order.size(), from + batchSize));
            sink.accept(new Batch(ids, ids.stream().map(encoded::get).toList()));
        }
    }
}
