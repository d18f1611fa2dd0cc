package dev.infuse.task;

import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Runs a task model over a set and scores it; labels training never saw are warned about, then scored as errors. */
public final class Predictor {
    private Predictor() {}

    /**
     * {@code predicted.get(i)[item]}: the label id for every item of example i, -1 where nothing was
     * predicted. Examples run in batches of similar length, so little padding is computed.
     */
    public static List<int[]> predict(TaskModel model, TaskSet set, int batchSize) {
        Tensors.noGrad();
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            int[] p = new int[set.items(i)];
            Arrays.fill(p, -1);
            out.add(p);
        }
        LengthBatches.forEach(model, set, batchSize, batch -> {
            List<Encoded> run = batch.withTargets();
            if (run.isEmpty()) {
                return;
            }
            long[] best;
            try (NDManager s = Engines.newManager()) {
                best = model.logits(s, run, false).argMax(-1).toLongArray(); // (N)
            }
            int j = 0;
            for (int k = 0; k < batch.examples().size(); k++) {
                for (Target t : batch.encoded().get(k).targets()) {
                    out.get(batch.examples().get(k))[t.ref()] = (int) best[j++];
                }
            }
        });
        return out;
    }

    /** Predicts and scores; {@code warn} gets one line per gold label unknown to the model. */
    public static Scores evaluate(TaskModel model, TaskSet set, int batchSize, PrintStream warn) {
        TreeSet<String> unseen = new TreeSet<>(set.labelsInOrder());
        unseen.removeAll(model.labels().names());
        for (String l : unseen) {
            warn.println("infuse: warning: label \"" + l + "\" never occurs in training; its examples count as errors");
        }
        Scores s = set.score(predict(model, set, batchSize), model.labels());
        Map<String, Object> all = new LinkedHashMap<>(s.all());
        all.put("unseen_labels", new ArrayList<>(unseen));
        return new Scores(s.primaryName(), s.primary(), all);
    }
}
