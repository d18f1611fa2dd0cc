package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.NativeHeap;
import dev.infuse.engine.Tensors;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.mask.Masker;
import dev.infuse.model.BertModel;
import java.util.List;
import java.util.Map;

/**
 * The training loop, the only one in infuse: micro-batches from a {@link BatchSource}, the loss of a
 * {@link BatchLoss}, backward, global-norm clipping, and AdamW on the {@link Trainables} with the scheduled
 * learning rate. Pretraining, fine-tuning and the linear probe differ only in what they plug in; metrics,
 * progress, checkpoints, evaluation and early stopping are {@link TrainListener}s.
 *
 * <p>Reproducibility: torch's generator (dropout) is re-seeded from (seed, step, micro-batch) before every
 * forward pass, and a source's batches are a function of its cursor, so a run restored from a checkpoint
 * computes bit for bit what the uninterrupted run would have.
 */
public final class Trainer<B extends Batch> {
    private final Trainables params;
    private final BatchLoss<B> loss;
    private final BatchSource<B> data;
    private final LoopSettings settings;
    private final AdamW adam;
    private final LrSchedule schedule;
    private final List<TrainListener> listeners;

    /** @param adam built from {@link LoopSettings#optimizer}, restored from a checkpoint when resuming */
    public Trainer(Trainables params, BatchLoss<B> loss, BatchSource<B> data, LoopSettings settings, AdamW adam,
            List<TrainListener> listeners) {
        if (params.trained().isEmpty()) {
            throw new dev.infuse.InfuseException("nothing to train: the encoder is frozen and no module has parameters");
        }
        this.params = params;
        this.loss = loss;
        this.data = data;
        this.settings = settings;
        this.adam = adam;
        this.schedule = settings.lrSchedule();
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Trains from {@code startStep} (steps already done) until {@code maxSteps} or until a listener asks to
     * stop; returns the steps done. A SIGINT or SIGTERM ({@link StopSignal}) is honoured between steps, never
     * inside one: the listeners save what they keep ({@link TrainListener#onStop}), then {@link Stopped} is thrown.
     */
    public long run(long startStep) {
        long step = startStep;
        params.recordGradients(true);
        NativeHeap.release(); // what loading freed would otherwise stay resident under every step
        adam.prepare(params.trained());
        listeners.forEach(l -> l.onStart(startStep, settings.maxSteps()));
        StepReport last = null;
        try (NDManager root = Engines.newManager()) {
            while (step < settings.maxSteps()) {
                if (StopSignal.received() != null) {
                    throw stop(step, last);
                }
                StepReport r = step(root, step);
                step++;
                last = r;
                // Evaluation inside a listener has batches of its own; a signal waits until the step's listeners are done.
                StopSignal.deferred(() -> listeners.forEach(l -> l.onStep(r)));
                if (listeners.stream().anyMatch(TrainListener::stopRequested)) {
                    break;
                }
            }
        } finally {
            params.recordGradients(false);
        }
        long done = step;
        listeners.forEach(l -> l.onEnd(done));
        return done;
    }

    private Stopped stop(long step, StepReport last) {
        StopSignal.Kind k = StopSignal.received();
        StopSignal.deferred(() -> listeners.forEach(l -> l.onStop(last)));
        return new Stopped(k, step == 0 ? "before step 1 of " + settings.maxSteps() : "after step " + step + " of " + settings.maxSteps());
    }

    private StepReport step(NDManager root, long step) {
        long t0 = System.nanoTime();
        Map<String, NDArray> active = params.active(step); // all, unless layers unfreeze gradually
        long[] nanos = new long[3]; // forward, backward, update
        double lossSum = 0;
        int tokens = 0;
        int predicted = 0;
        double norm;
        try (NDManager s = root.newSubManager()) {
            for (int micro = 0; micro < settings.accumulate(); micro++) {
                B batch = data.next();
                lossSum += microStep(s, batch, step, micro, nanos);
                tokens += batch.tokens();
                predicted += batch.predicted();
            }
        }
        long u0 = System.nanoTime();
        params.maskFixedRows();
        norm = GradClip.globalNorm(active.values());
        if (!Double.isFinite(norm)) {
            throw new Diverged(step + 1, "gradient norm is " + norm);
        }
        float lr = schedule.lr(step);
        adam.step(active, params.noDecay(), name -> params.lr(name, lr), GradClip.factor(norm, settings.clipNorm()), params::split, params::from);
        nanos[2] += System.nanoTime() - u0;
        StepReport.Parts parts = new StepReport.Parts(nanos[0] / 1e9, nanos[1] / 1e9, nanos[2] / 1e9);
        return new StepReport(step + 1, settings.maxSteps(), lossSum / settings.accumulate(), lr, norm, tokens, predicted, parts,
                (System.nanoTime() - t0) / 1e9, data.cursor());
    }

    /** Forward and backward of one micro-batch; gradients add up across micro-batches until the update. */
    private double microStep(NDManager parent, B batch, long step, int micro, long[] nanos) {
        Engines.get().setRandomSeed(dropoutSeed(settings.seed(), step, micro));
        try (NDManager s = parent.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
            long f0 = System.nanoTime();
            NDArray l = loss.loss(s, batch, true); // ()
            if (l == null) {
                return 0; // nothing to score (possible with whole units and tiny budgets): no gradient, no loss
            }
            double value = l.getFloat(); // eager engine: the forward pass is done when its value is read
            nanos[0] += System.nanoTime() - f0;
            if (!Double.isFinite(value)) {
                throw new Diverged(step + 1, "loss is " + value + " (micro-batch " + (micro + 1) + " of " + settings.accumulate() + ")");
            }
            long b0 = System.nanoTime();
            // Each micro-batch's mean is weighted equally, so the accumulated gradient is their average.
            gc.backward(settings.accumulate() == 1 ? l : Tensors.scale(l, 1f / settings.accumulate()));
            nanos[1] += System.nanoTime() - b0;
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
    static int dropoutSeed(long seed, long step, int micro) {
        return (int) Masker.rngFor(seed, step, micro).nextLong();
    }
}
