package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): the decay shrinks the weight directly instead
 * of entering the gradient, which is what DJL's own Adam does. Parameters named in {@code noDecay}
 * (biases and LayerNorm weights, by convention) are not decayed.
 *
 * <p>State lives in the optimizer's own manager; each step's temporaries live in a step manager whose
 * scalars come first in every op, so results attach there and are freed when the step ends.
 */
public final class AdamW implements AutoCloseable {
    /** @param weightDecay decoupled: each step multiplies decayed weights by {@code 1 - lr * weightDecay} */
    public record Settings(float beta1, float beta2, float eps, float weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new InfuseException("Adam betas must be in [0, 1), found " + beta1 + " and " + beta2);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new InfuseException("Adam eps must be positive and weight decay non-negative, found " + eps + " and " + weightDecay);
            }
        }

        /**
         * The settings of every run: torch's and Hugging Face's AdamW defaults (betas 0.9 and 0.999, eps 1e-8)
         * with the given decoupled decay. Kept in one place so pretraining, fine-tuning and the probe agree.
         */
        public static Settings withDecay(float weightDecay) {
            return new Settings(0.9f, 0.999f, 1e-8f, weightDecay);
        }
    }

    private final Settings settings;
    private final NDManager state = Engines.newManager();
    private final Map<String, NDArray> firstMoment = new HashMap<>();
    private final Map<String, NDArray> secondMoment = new HashMap<>();
    private long step;
    private final FusedAdamW fused = new FusedAdamW(dev.infuse.engine.Engines.threads());

    public AdamW(Settings settings) {
        this.settings = settings;
    }

    public long stepCount() {
        return step;
    }

    /**
     * Allocates the zero moments of every parameter that has none yet (a fresh run, or parameters a checkpoint
     * did not cover), as the first update would. Called before the first forward pass, so the moments (twice
     * the trained weights: 880 MB for BERT-base) are laid out beside the weights, and not in the holes the
     * first step's activations leave behind, where they would split the space every later step's activations
     * need and make the C heap grow.
     */
    public void prepare(Map<String, NDArray> params) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            Shape shape = e.getValue().getShape();
            firstMoment.computeIfAbsent(e.getKey(), k -> state.zeros(shape));
            secondMoment.computeIfAbsent(e.getKey(), k -> state.zeros(shape));
        }
    }

    /** Applies one update with learning rate {@code lr} to every parameter that has a gradient, then drops the gradient. */
    public void step(Map<String, NDArray> params, Set<String> noDecay, float lr) {
        step(params, noDecay, name -> lr, 1f);
    }

    /**
     * As above with a learning rate per parameter name (a fresh task head learns from nothing and wants a
     * larger rate than the pretrained encoder under it), and every gradient first multiplied by
     * {@code gradScale} (global-norm clipping's factor, 1 for none).
     */
    public void step(Map<String, NDArray> params, Set<String> noDecay, ToDoubleFunction<String> lrOf, float gradScale) {
        step(params, noDecay, lrOf, gradScale, name -> null, name -> 0);
    }

    /**
     * Two learning rates within one tensor: elements {@code [0, at)} train at {@code before} times the parameter's rate and
     * {@code [at, size)} at {@code after} times it, each with its own decoupled decay, as two of torch's parameter groups
     * would. {@code before} 0 leaves the first part alone altogether, weights and moments (rows that must not move).
     *
     * <p>Why not scale the gradient: Adam divides the step by the gradient's own running scale, so a gradient multiplied by
     * S moves a weight about as far as before; only the step size scales the rate.
     */
    public record Split(long at, float before, float after) {
        public Split {
            if (at < 0 || !(before >= 0) || !(after > 0) || Float.isInfinite(before) || Float.isInfinite(after)) {
                throw new IllegalArgumentException("a split needs a non-negative position, a non-negative and a positive finite scale; found "
                        + at + ", " + before + ", " + after);
            }
        }
    }

    /**
     * As above, with some parameters' elements split between two rates ({@code splitOf} gives null for the others), and
     * parameters that start training at different steps (gradual unfreezing): {@code from} gives the optimizer step
     * (0-based) of a parameter's first update, and its bias correction counts its own updates, as torch's
     * per-parameter step does.
     */
    public void step(Map<String, NDArray> params, Set<String> noDecay, ToDoubleFunction<String> lrOf, float gradScale,
            java.util.function.Function<String, Split> splitOf, java.util.function.ToLongFunction<String> from) {
        Tensors.noGrad();
        step++;
        List<NDArray> gradients = new ArrayList<>();
        try (NDManager s = state.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                if (!p.hasGradient()) {
                    continue;
                }
                long own = step - from.applyAsLong(e.getKey()); // this parameter's updates, this one included
                double bias1 = 1 - Math.pow(settings.beta1(), own);
                float invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(settings.beta2(), own)));
                float lr = (float) lrOf.applyAsDouble(e.getKey());
                boolean decays = !noDecay.contains(e.getKey());
                NDArray m = firstMoment.computeIfAbsent(e.getKey(), k -> state.zeros(p.getShape()));
                NDArray v = secondMoment.computeIfAbsent(e.getKey(), k -> state.zeros(p.getShape()));
                // The wrapper stays open until the queued update has run: for a parameter that got no gradient
                // DJL hands out a fresh zero tensor, which closing the wrapper would free under the update.
                NDArray g = p.getGradient();
                gradients.add(g);
                Split split = splitOf.apply(e.getKey());
                if (split == null) {
                    if (!fused.submit(p, g, m, v, scalars(lr, decays, bias1, invSqrtBias2, gradScale))) {
                        byOps(s, p, g, m, v, scalars(lr, decays, bias1, invSqrtBias2, gradScale));
                    }
                    continue;
                }
                int n = Math.toIntExact(p.size());
                int at = Math.toIntExact(Math.min(split.at(), n));
                boolean ok = fused.submit(p, g, m, v, scalars(lr * split.after(), decays, bias1, invSqrtBias2, gradScale), at, n);
                if (ok && split.before() > 0) {
                    ok = fused.submit(p, g, m, v, scalars(lr * split.before(), decays, bias1, invSqrtBias2, gradScale), 0, at);
                }
                if (!ok) { // word embeddings are contiguous float32, which the fused update always takes
                    throw new IllegalStateException("parameter " + e.getKey() + " has two learning rates but its storage cannot be updated in place");
                }
            }
            fused.await();
        } finally {
            gradients.forEach(NDArray::close);
        }
        for (NDArray p : params.values()) {
            if (p.hasGradient()) {
                Tensors.releaseGradient(p); // the next backward starts from none, as zero_grad(set_to_none=True)
            }
        }
    }

    private FusedAdamW.Scalars scalars(float lr, boolean decays, double bias1, float invSqrtBias2, float gradScale) {
        float decay = decays ? 1 - lr * settings.weightDecay() : 1f;
        return new FusedAdamW.Scalars(settings.beta1(), 1 - settings.beta1(), settings.beta2(), 1 - settings.beta2(), invSqrtBias2, settings.eps(),
                (float) (-lr / bias1), decay, gradScale);
    }

    /** The same update with the engine's ops, for a tensor whose storage cannot be shared with Java. */
    static void byOps(NDManager s, NDArray p, NDArray g, NDArray m, NDArray v, FusedAdamW.Scalars sc) {
        try (NDManager t = s.newSubManager()) {
            if (sc.gradScale() != 1f) {
                g.muli(Tensors.scalar(t, sc.gradScale()));
            }
            try (NDArray g2 = g.mul(g)) { // g^2
                v.muli(Tensors.scalar(t, sc.beta2())).addi(g2.muli(Tensors.scalar(t, sc.oneMinusBeta2())));
            }
            m.muli(Tensors.scalar(t, sc.beta1())).addi(g.muli(Tensors.scalar(t, sc.oneMinusBeta1())));
            p.muli(Tensors.scalar(t, sc.decay()));
            try (NDArray denom = v.sqrt()) {
                denom.muli(Tensors.scalar(t, sc.invSqrtBias2())).addi(Tensors.scalar(t, sc.eps()));
                try (NDArray update = m.div(denom)) {
                    p.addi(update.muli(Tensors.scalar(t, sc.stepSize())));
                }
            }
        }
    }

    /**
     * The moments by parameter name, as {@code m.NAME} and {@code v.NAME}, copied to the host: written into
     * checkpoints so that a resumed run continues with exactly the same update.
     */
    public Map<String, HostTensor> exportMoments() {
        Map<String, HostTensor> out = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : firstMoment.entrySet()) {
            out.put("m." + e.getKey(), Checkpoints.toHost(e.getValue()));
            out.put("v." + e.getKey(), Checkpoints.toHost(secondMoment.get(e.getKey())));
        }
        return out;
    }

    /** Restores the moments of {@link #exportMoments} and the step count that drives bias correction. */
    public void restore(Map<String, HostTensor> moments, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count must be non-negative, found " + stepCount);
        }
        firstMoment.values().forEach(NDArray::close);
        secondMoment.values().forEach(NDArray::close);
        firstMoment.clear();
        secondMoment.clear();
        for (Map.Entry<String, HostTensor> e : moments.entrySet()) {
            String key = e.getKey();
            if (key.length() < 3 || key.charAt(1) != '.' || (key.charAt(0) != 'm' && key.charAt(0) != 'v')) {
                throw new InfuseException("optimizer state has an unexpected tensor \"" + key + "\"");
            }
            (key.charAt(0) == 'm' ? firstMoment : secondMoment).put(key.substring(2), Tensors.fromHost(state, e.getValue()));
        }
        if (!firstMoment.keySet().equals(secondMoment.keySet())) {
            throw new InfuseException("optimizer state has first and second moments for different parameters");
        }
        this.step = stepCount;
    }

    @Override
    public void close() {
        fused.close();
        state.close();
    }
}
