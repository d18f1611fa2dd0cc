package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * A frozen encoder's pooled features for every target of a task set, computed once. With the encoder
 * frozen (no dropout) a target's features never change, so a head can train for many epochs and seeds
 * on these host arrays for the price of one forward pass per example.
 *
 * @param features per target, {@code states * width} floats: the pooled state of each read layer in turn
 * @param gold per target, the label id (-1: a label training never saw)
 * @param example per target, the example it belongs to
 * @param ref per target, the item of the example it predicts (see {@link Target#ref})
 * @param examples how many examples the set has, targets or not
 */
public record FrozenFeatures(float[][] features, int[] gold, int[] example, int[] ref, int states, int width, int examples) {
    public int size() {
        return gold.length;
    }

    /**
     * Runs the model's frozen encoder over {@code set}; examples are batched by length so little padding
     * is computed. {@code label} names the work in the progress line.
     */
    public static FrozenFeatures extract(TaskModel model, TaskSet set, int batchSize, String label) {
        if (!model.transfer().frozen()) {
            throw new IllegalArgumentException("features are fixed only with a frozen encoder, not transfer " + model.transfer().flag());
        }
        Tensors.noGrad();
        List<float[]> feats = new ArrayList<>();
        List<int[]> meta = new ArrayList<>(); // {gold, example, ref}
        int[] shape = new int[2]; // states, width
        try (Progress p = new Progress(label, set.size(), "examples")) {
            LengthBatches.forEach(model, set, batchSize, batch -> {
                List<Encoded> run = batch.withTargets();
                if (!run.isEmpty()) {
                    try (NDManager s = Engines.newManager()) {
                        NDArray pooled = model.pooled(s, run, false); // (S, N, W)
                        shape[0] = (int) pooled.getShape().get(0);
                        shape[1] = (int) pooled.getShape().get(2);
                        float[] flat = pooled.transpose(1, 0, 2).toFloatArray(); // (N, S, W)
                        int row = shape[0] * shape[1];
                        int j = 0;
                        for (int k = 0; k < batch.examples().size(); k++) {
                            for (Target t : batch.encoded().get(k).targets()) {
                                float[] f = new float[row];
                                System.arraycopy(flat, j * row, f, 0, row);
                                feats.add(f);
                                meta.add(new int[] {t.label(), batch.examples().get(k), t.ref()});
                                j++;
                            }
                        }
                    }
                }
                p.step(batch.examples().size());
            });
        }
        if (feats.isEmpty()) {
            throw new InfuseException("no example of the set has a target inside --max-seq-length " + model.maxSeqLength());
        }
        int n = feats.size();
        int[] gold = new int[n];
        int[] example = new int[n];
        int[] ref = new int[n];
        for (int k = 0; k < n; k++) {
            gold[k] = meta.get(k)[0];
            example[k] = meta.get(k)[1];
            ref[k] = meta.get(k)[2];
        }
        return new FrozenFeatures(feats.toArray(float[][]::new), gold, example, ref, shape[0], shape[1], set.size());
    }

    /** Per-example prediction arrays for {@link TaskSet#score}: -1 where an item has no target. */
    public List<int[]> spread(int[] predicted, TaskSet set) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            int[] p = new int[set.items(i)];
            java.util.Arrays.fill(p, -1);
            out.add(p);
        }
        for (int k = 0; k < predicted.length; k++) {
            out.get(example[k])[ref[k]] = predicted[k];
        }
        return out;
    }
}
