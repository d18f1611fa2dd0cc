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
     * Every item's predicted label id, its probability and the raw logits. {@code labels().get(i)[item]} is -1
     * (probability 0, logits null) where truncation dropped the item.
     */
    public record Predictions(List<int[]> labels, List<float[]> scores, List<float[][]> logits) {}

    /**
     * {@code predicted.get(i)[item]}: the label id for every item of example i, -1 where nothing was
     * predicted. Examples run in batches of similar length, so little padding is computed.
     */
    public static List<int[]> predict(TaskModel model, TaskSet set, int batchSize) {
        return run(model, set, batchSize).labels();
    }

    /** Like {@link #predict}, with each prediction's softmax probability and logits. */
    public static Predictions run(TaskModel model, TaskSet set, int batchSize) {
        Tensors.noGrad();
        List<int[]> out = new ArrayList<>();
        List<float[]> probs = new ArrayList<>();
        List<float[][]> raw = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            int[] p = new int[set.items(i)];
            Arrays.fill(p, -1);
            out.add(p);
            probs.add(new float[set.items(i)]);
            raw.add(new float[set.items(i)][]);
        }
        int c = model.labels().size();
        LengthBatches.forEach(model, set, batchSize, batch -> {
            List<Encoded> run = batch.withTargets();
            if (run.isEmpty()) {
                return;
            }
            float[] logits;
            try (NDManager s = Engines.newManager()) {
                logits = model.logits(s, run, false).toFloatArray(); // (N, C)
            }
            int j = 0;
            for (int k = 0; k < batch.examples().size(); k++) {
                int example = batch.examples().get(k);
                for (Target t : batch.encoded().get(k).targets()) {
                    float[] row = Arrays.copyOfRange(logits, j * c, (j + 1) * c);
                    j++;
                    int best = argMax(row);
                    out.get(example)[t.ref()] = best;
                    probs.get(example)[t.ref()] = probability(row, best);
                    raw.get(example)[t.ref()] = row;
                }
            }
        });
        return new Predictions(out, probs, raw);
    }

    /** The first index of the largest value; NaN never wins over a number (a row of NaN gives 0). */
    static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (!Float.isNaN(row[i]) && (Float.isNaN(row[best]) || row[i] > row[best])) {
                best = i;
            }
        }
        return best;
    }

    /** softmax(row)[i], computed stably. */
    static float probability(float[] row, int i) {
        double max = row[argMax(row)];
        double sum = 0;
        for (float x : row) {
            sum += Math.exp(x - max);
        }
        return (float) (Math.exp(row[i] - max) / sum);
    }

    /** Predicts and scores; {@code warn} gets one line per gold label unknown to the model. */
    public static Scores evaluate(TaskModel model, TaskSet set, int batchSize, PrintStream warn) {
        return evaluate(model, set, run(model, set, batchSize), warn);
    }

    /** Scores predictions {@link #run} made; {@code warn} gets one line per gold label unknown to the model. */
    public static Scores evaluate(TaskModel model, TaskSet set, Predictions predictions, PrintStream warn) {
        TreeSet<String> unseen = new TreeSet<>(set.labelsInOrder());
        unseen.removeAll(model.labels().names());
        for (String l : unseen) {
            warn.println("infuse: warning: label \"" + l + "\" never occurs in training; its examples count as errors");
        }
        Scores s = set.score(predictions.labels(), model.labels());
        Map<String, Object> all = new LinkedHashMap<>(s.all());
        all.put("unseen_labels", new ArrayList<>(unseen));
        return new Scores(s.primaryName(), s.primary(), all);
    }
}
