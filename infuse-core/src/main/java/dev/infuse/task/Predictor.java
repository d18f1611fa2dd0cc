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
     * Every item's logits, {@code logits().get(i)[item]}, null where truncation dropped the item; the label and
     * its probability are read from them.
     */
    public record Predictions(List<float[][]> logits) {
        /** The predicted label id of item {@code item} of example {@code i}, -1 where nothing was predicted. */
        public int label(int i, int item) {
            float[] row = logits.get(i)[item];
            return row == null ? -1 : argMax(row);
        }

        /** The predicted label's softmax probability; NaN where nothing was predicted. */
        public float score(int i, int item) {
            float[] row = logits.get(i)[item];
            return row == null ? Float.NaN : probability(row, argMax(row));
        }

        /** Items no logits were computed for, because {@code --max-seq-length} cut them away. */
        public long dropped() {
            long n = 0;
            for (float[][] example : logits) {
                for (float[] item : example) {
                    n += item == null ? 1 : 0;
                }
            }
            return n;
        }

        /** How many items there are in all. */
        public long items() {
            return logits.stream().mapToLong(e -> e.length).sum();
        }

        /** Every example's label ids, {@code labels().get(i)[item]}, as {@link TaskSet#score} takes them. */
        public List<int[]> labels() {
            List<int[]> out = new ArrayList<>(logits.size());
            for (int i = 0; i < logits.size(); i++) {
                int[] ids = new int[logits.get(i).length];
                for (int item = 0; item < ids.length; item++) {
                    ids[item] = label(i, item);
                }
                out.add(ids);
            }
            return out;
        }
    }

    /**
     * {@code predicted.get(i)[item]}: the label id for every item of example i, -1 where nothing was
     * predicted. Examples run in batches of similar length, so little padding is computed.
     */
    public static List<int[]> predict(TaskModel model, TaskSet set, int batchSize) {
        return run(model, set, batchSize).labels();
    }

    /** Like {@link #predict}, keeping each prediction's logits. */
    public static Predictions run(TaskModel model, TaskSet set, int batchSize) {
        if (batchSize < 1) {
            throw new dev.infuse.InfuseException("--batch-size must be at least 1, found " + batchSize);
        }
        Tensors.noGrad();
        List<float[][]> raw = empty(set);
        LengthBatches.forEach(model, set, batchSize, batch -> runBatch(model, batch, raw));
        return new Predictions(raw);
    }

    /**
     * Each example's encoded length: {@link #run} sorts the examples by it (equal lengths in set order) and cuts
     * the sorted list into batches. A job that splits a set can rebuild the same batches from these.
     */
    public static int[] lengths(TaskModel model, TaskSet set) {
        int[] out = new int[set.size()];
        for (int i = 0; i < set.size(); i++) {
            out[i] = set.encode(i, model.encoder(), model.maxSeqLength(), model.labels()).row().length();
        }
        return out;
    }

    /**
     * Every example of {@code set}, in set order, as one forward pass: given one of {@link #run}'s batches, in its
     * order, the logits are the ones {@link #run} computes for them (same shapes, same padding).
     */
    public static Predictions runAsOneBatch(TaskModel model, TaskSet set) {
        Tensors.noGrad();
        List<float[][]> raw = empty(set);
        List<Integer> all = new ArrayList<>();
        List<Encoded> encoded = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            all.add(i);
            encoded.add(set.encode(i, model.encoder(), model.maxSeqLength(), model.labels()));
        }
        runBatch(model, new LengthBatches.Batch(all, encoded), raw);
        return new Predictions(raw);
    }

    private static List<float[][]> empty(TaskSet set) {
        List<float[][]> raw = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            raw.add(new float[set.items(i)][]);
        }
        return raw;
    }

    private static void runBatch(TaskModel model, LengthBatches.Batch batch, List<float[][]> raw) {
        List<Encoded> run = batch.withTargets();
        if (run.isEmpty()) {
            return;
        }
        int c = model.labels().size();
        float[] logits;
        try (NDManager s = Engines.newManager()) {
            logits = model.logits(s, run, false).toFloatArray(); // (N, C)
        }
        int j = 0;
        for (int k = 0; k < batch.examples().size(); k++) {
            int example = batch.examples().get(k);
            for (Target t : batch.encoded().get(k).targets()) {
                float[] row = Arrays.copyOfRange(logits, j * c, (j + 1) * c);
                requireFinite(row, example, t.ref());
                raw.get(example)[t.ref()] = row;
                j++;
            }
        }
    }

    /** A non-finite logit means the model is broken; scoring or writing it would look like a result. */
    private static void requireFinite(float[] row, int example, int item) {
        for (int i = 0; i < row.length; i++) {
            if (!Float.isFinite(row[i])) {
                throw new dev.infuse.InfuseException("the model computed a logit of " + row[i] + " for item " + (item + 1) + " of example "
                        + (example + 1) + " (label id " + i + "); its weights or inputs produce non-finite numbers");
            }
        }
    }

    /**
     * One warning line when {@code --max-seq-length} cut items away, or nothing; {@code what} says what the
     * cut items become.
     */
    public static java.util.Optional<String> truncationWarning(Predictions p, String unit, int maxSeqLength, String what) {
        long cut = p.dropped();
        return cut == 0 ? java.util.Optional.empty()
                : java.util.Optional.of("infuse: warning: " + cut + " of " + p.items() + " " + unit + " lie past --max-seq-length "
                        + maxSeqLength + " and were not predicted; " + what);
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
