package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertModel;
import dev.infuse.model.ParameterSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MLM training loop: micro-batches, backward, global-norm clipping, AdamW with a warm-up schedule.
 * Logging, progress and checkpoints are {@link TrainListener}s.
 *
 * <p>Reproducibility: torch's generator (dropout) is re-seeded from (seed, step, micro-batch) before every
 * forward pass and masks come from (seed, epoch, instance), so a run restored from a checkpoint computes
 * bit for bit what the uninterrupted run would have.
 */
public final class Trainer {
    private final BertModel model;
    private final AdamW adam;
    private final Batcher data;
    private final TrainSettings settings;
    private final LrSchedule schedule;
    private final List<TrainListener> listeners;
    private final Set<String> trainable;
    private final Set<String> noDecay = new HashSet<>();
    private final Objective objective;

    public Trainer(BertModel model, AdamW adam, Batcher data, TrainSettings settings, List<TrainListener> listeners) {
        this(model, adam, data, settings, listeners, Objective.mlm());
    }

    /** @param objective the loss of a micro-batch; the batcher must have been built for the same objective */
    public Trainer(BertModel model, AdamW adam, Batcher data, TrainSettings settings, List<TrainListener> listeners,
            Objective objective) {
        this.objective = objective;
        this.model = model;
        this.adam = adam;
        this.data = data;
        this.settings = settings;
        this.schedule = LrSchedule.of(settings);
        this.listeners = List.copyOf(listeners);
        this.trainable = settings.freeze().trainable(model.config());
        for (ParameterSpec p : ParameterSpec.of(model.config())) {
            if (!p.role().decays()) {
                noDecay.add(p.name());
            }
        }
    }

    /** Trains from {@code startStep} (steps already done) to {@code maxSteps}; returns the last step. */
    public long run(long startStep) {
        Map<String, NDArray> params = model.parameters();
        List<NDArray> trained = new ArrayList<>();
        params.forEach((name, p) -> {
            p.setRequiresGradient(trainable.contains(name));
            if (trainable.contains(name)) {
                trained.add(p);
            }
        });
        listeners.forEach(l -> l.onStart(startStep, settings.maxSteps()));
        try (NDManager root = Engines.newManager()) {
            for (long step = startStep; step < settings.maxSteps(); step++) {
                StepReport r = step(root, step, params, trained);
                listeners.forEach(l -> l.onStep(r));
            }
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
        listeners.forEach(l -> l.onEnd(settings.maxSteps()));
        return settings.maxSteps();
    }

    private StepReport step(NDManager root, long step, Map<String, NDArray> params, List<NDArray> trained) {
        long t0 = System.nanoTime();
        double modelNanos = 0;
        double lossSum = 0;
        int tokens = 0;
        int predicted = 0;
        double norm;
        try (NDManager s = root.newSubManager()) {
            for (int micro = 0; micro < settings.accumulate(); micro++) {
                MlmBatch batch = data.next();
                long m0 = System.nanoTime();
                lossSum += microStep(s, batch, step, micro);
                modelNanos += System.nanoTime() - m0;
                tokens += batch.tokens();
                predicted += batch.predicted();
            }
            long m0 = System.nanoTime();
            norm = GradClip.clipGlobalNorm(trained, settings.clipNorm(), s);
            if (!Double.isFinite(norm)) {
                throw new Diverged(step + 1, "gradient norm is " + norm);
            }
            modelNanos += System.nanoTime() - m0;
        }
        long m0 = System.nanoTime();
        float lr = schedule.lr(step);
        adam.step(params, noDecay, lr);
        modelNanos += System.nanoTime() - m0;
        return new StepReport(step + 1, settings.maxSteps(), lossSum / settings.accumulate(), lr, norm, tokens, predicted,
                modelNanos / 1e9, (System.nanoTime() - t0) / 1e9, data.cursor());
    }

    /** Forward and backward of one micro-batch; gradients add up across micro-batches until the update. */
    private double microStep(NDManager parent, MlmBatch batch, long step, int micro) {
        Engines.get().setRandomSeed(dropoutSeed(step, micro));
        try (NDManager s = parent.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
            NDArray loss = objective.loss(model, s, batch, true); // ()
            if (loss == null) {
                return 0; // nothing to score (possible with whole units and tiny budgets): no gradient, no loss
            }
            double value = loss.getFloat();
            if (!Double.isFinite(value)) {
                throw new Diverged(step + 1, "loss is " + value + " (micro-batch " + (micro + 1) + " of " + settings.accumulate() + ")");
            }
            // Each micro-batch's mean is weighted equally, so the accumulated gradient is their average.
            gc.backward(Tensors.scale(loss, 1f / settings.accumulate()));
            return value;
        }
    }

    /** Mean cross-entropy at the batch's scored positions; every intermediate attaches to {@code s}. */
    public static NDArray mlmLoss(BertModel model, NDManager s, MlmBatch batch, boolean training) {
        return mlmLoss(model, s, batch, model.forward(s, batch.input(), training).lastHidden());
    }

    /** The same from final hidden states (B, T, H) already computed, for objectives that read them twice. */
    public static NDArray mlmLoss(BertModel model, NDManager s, MlmBatch batch, NDArray lastHidden) {
        int b = batch.input().batchSize();
        int t = batch.input().length();
        int n = batch.predicted();
        NDArray hidden = lastHidden.reshape(b * t, model.config().hiddenSize()); // (B*T, H)
        NDArray picked = hidden.get(Tensors.copyOf(s, batch.positions(), new Shape(n))); // (N, H)
        NDArray logits = model.mlmLogits(model.mlmTransform(picked)); // (N, V)
        return Losses.crossEntropy(logits, Tensors.copyOf(s, batch.labels(), new Shape(n))); // ()
    }

    /** torch takes an int seed; mixing keeps seeds of neighbouring steps unrelated. */
    int dropoutSeed(long step, int micro) {
        return (int) dev.infuse.mask.Masker.rngFor(settings.seed(), step, micro).nextLong();
    }
}
