package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.train.Batch;
import dev.infuse.train.BatchLoss;
import dev.infuse.train.EpochBatches;
import dev.infuse.train.LoopSettings;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainListener;
import dev.infuse.train.Trainables;
import dev.infuse.train.Trainer;
import dev.infuse.engine.Tensors;
import dev.infuse.model.io.HostTensor;
import dev.infuse.train.AdamW;
import dev.infuse.train.Losses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
        // Epochs count from 1, as reported; each is shuffled with (seed, epoch).
        EpochBatches<FeatureBatch> epochs = new EpochBatches<>(usable.size(), options.batchSize(), 1, epoch -> {
            List<Integer> order = new ArrayList<>(usable);
            Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
            return order;
        }, batch -> new FeatureBatch(batch, batch.stream().mapToLong(k -> train.gold()[k]).toArray()));
        // A constant rate without warm-up or clipping: a linear layer on fixed features needs neither.
        LoopSettings loop = new LoopSettings((long) options.epochs() * epochs.perEpoch(), options.lr(), 0, LrSchedule.Kind.CONSTANT, 0f, 1,
                0.01f, seed);
        try (TaskHead head = TaskHead.random(hidden, train.states() - 1, groups, labels.size(), transfer, seed);
                AdamW adam = new AdamW(loop.optimizer())) {
            BatchLoss<FeatureBatch> loss = (s, batch, training) -> Losses.crossEntropy(head.classify(s, stack(s, train, batch.targets())),
                    Tensors.copyOf(s, batch.gold(), new Shape(batch.predicted()))); // ()
            BestOnDev best = new BestOnDev(head, dev, devSet, labels, epochs.perEpoch(), options.patience());
            new Trainer<>(new Trainables().module(head), loss, epochs, loop, adam, List.of(best)).run(0);
            try (TaskHead chosen = TaskHead.load(best.head, transfer, groups)) {
                Scores t = testSet.score(test.spread(predict(chosen, test), testSet), labels);
                return new Result(best.scores, t, best.epoch, best.epochsRun);
            }
        }
    }

    /** Training targets as micro-batches. */
    record FeatureBatch(List<Integer> targets, long[] gold) implements Batch {
        @Override
        public int tokens() {
            return targets.size();
        }

        @Override
        public int predicted() {
            return targets.size();
        }
    }

    /** Scores dev after every epoch, keeps the best epoch's head, stops after {@code patience} epochs without a better one. */
    private static final class BestOnDev implements TrainListener {
        final TaskHead live;
        final FrozenFeatures dev;
        final TaskSet devSet;
        final Labels labels;
        final int perEpoch;
        final int patience;
        Map<String, HostTensor> head;
        Scores scores;
        int epoch;
        int epochsRun;

        BestOnDev(TaskHead live, FrozenFeatures dev, TaskSet devSet, Labels labels, int perEpoch, int patience) {
            this.live = live;
            this.dev = dev;
            this.devSet = devSet;
            this.labels = labels;
            this.perEpoch = perEpoch;
            this.patience = patience;
        }

        @Override
        public void onStep(StepReport r) {
            if (r.step() % perEpoch != 0) {
                return;
            }
            epochsRun = (int) (r.step() / perEpoch);
            Scores d = devSet.score(dev.spread(predict(live, dev), devSet), labels);
            if (scores == null || d.primary() > scores.primary()) {
                scores = d;
                epoch = epochsRun;
                head = live.export();
            }
        }

        @Override
        public boolean stopRequested() {
            return epochsRun - epoch >= patience;
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
