package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.io.HostTensor;
import dev.infuse.train.AdamW;
import dev.infuse.train.Losses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains a task head on a frozen encoder's cached features ({@link FrozenFeatures}): the linear probe
 * of the transfer-learning literature, and the cheap way to train many seeds. Dev is scored after
 * every epoch; the best epoch's head scores the test set.
 */
public final class LinearProbe {
    /**
     * @param epochs most passes over the training targets
     * @param patience stop after this many epochs without a better dev score
     */
    public record Options(int epochs, int batchSize, float lr, int patience) {
        public Options {
            if (epochs < 1 || batchSize < 1 || patience < 1 || !(lr > 0)) {
                throw new InfuseException("linear probe: epochs, batch size and patience must be at least 1 and lr positive");
            }
        }

        public static Options defaults() {
            return new Options(30, 32, 1e-3f, 4);
        }
    }

    /** @param bestEpoch the epoch (from 1) whose head scored {@code test} */
    public record Result(Scores dev, Scores test, int bestEpoch, int epochs) {}

    private LinearProbe() {}

    public static Result run(FrozenFeatures train, FrozenFeatures dev, TaskSet devSet, FrozenFeatures test, TaskSet testSet,
            Labels labels, Transfer transfer, int groups, Options options, long seed) {
        List<Integer> usable = new ArrayList<>();
        for (int k = 0; k < train.size(); k++) {
            if (train.gold()[k] >= 0) {
                usable.add(k);
            }
        }
        if (usable.isEmpty()) {
            throw new InfuseException("linear probe: no training target has a label");
        }
        int hidden = train.width() / groups;
        Map<String, HostTensor> best = null;
        Scores bestDev = null;
        int bestEpoch = 0;
        int epoch = 0;
        try (TaskHead head = TaskHead.random(hidden, train.states() - 1, groups, labels.size(), transfer, seed);
                AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.999f, 1e-8f, 0.01f));
                NDManager root = Engines.newManager()) {
            Set<String> noDecay = Set.of(TaskHead.BIAS, TaskHead.MIX_WEIGHTS, TaskHead.MIX_GAMMA);
            head.parameters().values().forEach(p -> p.setRequiresGradient(true));
            while (epoch < options.epochs() && epoch - bestEpoch < options.patience()) {
                epoch++;
                List<Integer> order = new ArrayList<>(usable);
                Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
                for (int from = 0; from < order.size(); from += options.batchSize()) {
                    List<Integer> batch = order.subList(from, Math.min(order.size(), from + options.batchSize()));
                    try (NDManager s = root.newSubManager()) {
                        long[] gold = batch.stream().mapToLong(k -> train.gold()[k]).toArray();
                        try (GradientCollector gc = Engines.get().newGradientCollector()) {
                            NDArray logits = head.classify(s, stack(s, train, batch)); // (N, C)
                            gc.backward(Losses.crossEntropy(logits, Tensors.copyOf(s, gold, new Shape(gold.length))));
                        }
                    }
                    adam.step(head.parameters(), noDecay, options.lr());
                }
                Scores d = devSet.score(dev.spread(predict(head, dev), devSet), labels);
                if (bestDev == null || d.primary() > bestDev.primary()) {
                    bestDev = d;
                    bestEpoch = epoch;
                    best = head.export();
                }
            }
            head.parameters().values().forEach(p -> p.setRequiresGradient(false));
        }
        try (TaskHead chosen = TaskHead.load(best, transfer, groups)) {
            Scores t = testSet.score(test.spread(predict(chosen, test), testSet), labels);
            return new Result(bestDev, t, bestEpoch, epoch);
        }
    }

    /** The argmax label of every target of {@code f}. */
    static int[] predict(TaskHead head, FrozenFeatures f) {
        Tensors.noGrad();
        int[] out = new int[f.size()];
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < f.size(); k++) {
            all.add(k);
        }
        for (int from = 0; from < all.size(); from += 1024) {
            List<Integer> chunk = all.subList(from, Math.min(all.size(), from + 1024));
            try (NDManager s = Engines.newManager()) {
                long[] best = head.classify(s, stack(s, f, chunk)).argMax(-1).toLongArray();
                for (int j = 0; j < best.length; j++) {
                    out[chunk.get(j)] = (int) best[j];
                }
            }
        }
        return out;
    }

    /** The chosen targets' features as (S, N, W), copied into {@code s}. */
    static NDArray stack(NDManager s, FrozenFeatures f, List<Integer> targets) {
        int row = f.states() * f.width();
        float[] flat = new float[targets.size() * row];
        for (int j = 0; j < targets.size(); j++) {
            System.arraycopy(f.features()[targets.get(j)], 0, flat, j * row, row);
        }
        return Tensors.copyOf(s, flat, new Shape(targets.size(), f.states(), f.width())).transpose(1, 0, 2); // (S, N, W)
    }
}
