package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.model.BertModel;
import dev.infuse.model.LayerHook;
import dev.infuse.model.ParameterOwner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything one run trains, gathered by name from its owners: the encoder (only the names its freezing
 * lets through), the encoder's layer hooks, a task head, the loss's own parameters. The optimizer, the
 * checkpoint and {@code --resume} see only this, so a new module is trained, decayed, saved and restored
 * without any change to them.
 *
 * <p>The encoder is saved as a Hugging Face model; every other owner is a "module", saved by parameter
 * name (frozen parameters included, so a checkpoint is complete) with its checkpoint state.
 */
public final class Trainables {
    private final Map<String, NDArray> trained = new LinkedHashMap<>();
    private final Set<String> noDecay = new HashSet<>();
    private final Map<String, Float> lrScale = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final List<ParameterOwner> modules = new ArrayList<>();
    private static final java.util.function.ToLongFunction<String> NONE = n -> 0;
    private java.util.function.ToLongFunction<String> from = NONE;
    private final Map<String, AdamW.Split> splits = new HashMap<>();

    /**
     * The encoder's parameters that {@code trains} accepts, and every parameter of its hooks.
     *
     * @param trains which encoder names train, usually {@link Freeze#trainable}
     */
    public Trainables encoder(BertModel model, Predicate<String> trains) {
        return encoder(model, trains, n -> 1f);
    }

    /**
     * The same with a learning-rate scale per encoder parameter ({@code --layer-lr-decay}: lower layers learn
     * slower); hooks train at the run's rate.
     */
    public Trainables encoder(BertModel model, Predicate<String> trains, java.util.function.ToDoubleFunction<String> scale) {
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            if (!names.add(e.getKey())) {
                throw new InfuseException("two modules use the parameter name \"" + e.getKey() + "\"; names must be unique across a run");
            }
            if (trains.test(e.getKey())) {
                add(model, e.getKey(), e.getValue(), (float) scale.applyAsDouble(e.getKey()));
            }
        }
        for (LayerHook h : model.hooks()) {
            module(h);
        }
        return this;
    }

    /** A module whose parameters all train at the run's learning rate. */
    public Trainables module(ParameterOwner owner) {
        return module(owner, 1f);
    }

    /**
     * A module whose parameters all train, at {@code lrScale} times the scheduled rate: a fresh task head
     * learns from nothing and wants a larger rate than the pretrained encoder under it.
     */
    public Trainables module(ParameterOwner owner, float lrScale) {
        if (!(lrScale > 0) || Float.isInfinite(lrScale)) {
            throw new IllegalArgumentException("learning-rate scale must be positive and finite, found " + lrScale);
        }
        modules.add(owner);
        claim(owner, n -> true, lrScale);
        for (String n : owner.checkpointState().keySet()) {
            if (!names.add(n)) {
                throw new InfuseException("two modules use the name \"" + n + "\"; names must be unique across a run");
            }
        }
        return this;
    }

    private void claim(ParameterOwner owner, Predicate<String> trains, float scale) {
        for (Map.Entry<String, NDArray> e : owner.parameters().entrySet()) {
            String n = e.getKey();
            if (!names.add(n)) {
                throw new InfuseException("two modules use the parameter name \"" + n + "\"; names must be unique across a run");
            }
            if (trains.test(n)) {
                add(owner, n, e.getValue(), scale);
            }
        }
    }

    private void add(ParameterOwner owner, String n, NDArray p, float scale) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("learning-rate scale of " + n + " must be positive and finite, found " + scale);
        }
        trained.put(n, p);
        if (!owner.decays(n)) {
            noDecay.add(n);
        }
        if (scale != 1f) {
            lrScale.put(n, scale);
        }
    }

    /**
     * Gradual unfreezing: parameter {@code name} trains from step {@code from(name)} on (0: from the start), and
     * until then it records no gradient and the optimizer leaves it, and its moments, alone.
     */
    public Trainables unfreezing(java.util.function.ToLongFunction<String> from) {
        this.from = from;
        return this;
    }

    /** The step (0-based) from which {@code name} trains. */
    public long from(String name) {
        return from.applyAsLong(name);
    }

    /**
     * The trained parameters that train at step {@code step} (0-based), with gradient recording set to match;
     * all of them unless a schedule unfreezes them gradually.
     */
    public Map<String, NDArray> active(long step) {
        if (from == NONE) {
            return trained();
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        trained.forEach((n, p) -> {
            boolean on = from.applyAsLong(n) <= step;
            if (p.hasGradient() != on) {
                p.setRequiresGradient(on);
            }
            if (on) {
                out.put(n, p);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Gives the rows of a trained parameter from {@code fromRow} on a rate of their own: {@code newScale} times the parameter's,
     * and the rows before {@code oldScale} times it (0: they do not move, and their gradient is left out of clipping's norm).
     * What {@code pretrain --new-token-lr-scale} asks for a vocabulary's added rows.
     */
    public Trainables splitRows(String name, long fromRow, float oldScale, float newScale) {
        NDArray p = trained.get(name);
        if (p == null) {
            throw new IllegalArgumentException("parameter " + name + " does not train, so its rows cannot have rates of their own");
        }
        long rows = p.getShape().get(0);
        if (fromRow < 0 || fromRow > rows) {
            throw new InfuseException("new rows of " + name + " start at " + fromRow + ", outside its " + rows + " rows");
        }
        splits.put(name, new AdamW.Split(fromRow * (p.size() / rows), oldScale, newScale));
        return this;
    }

    /** How the rows of {@code name} split between two rates, or null when they share one. */
    public AdamW.Split split(String name) {
        return splits.get(name);
    }

    /**
     * Zeroes the gradient of every row that must not move ({@link #splitRows} with scale 0), with a mask built on the host, so
     * that global-norm clipping measures only what trains, as if those rows were frozen. Called after backward, before clipping.
     */
    void maskFixedRows() {
        for (Map.Entry<String, AdamW.Split> e : splits.entrySet()) {
            if (e.getValue().before() > 0) {
                continue;
            }
            NDArray p = trained.get(e.getKey());
            if (!p.hasGradient()) {
                continue;
            }
            long rows = p.getShape().get(0);
            long width = p.size() / rows;
            float[] keep = new float[Math.toIntExact(rows)];
            java.util.Arrays.fill(keep, Math.toIntExact(e.getValue().at() / width), keep.length, 1f);
            long[] maskShape = new long[p.getShape().dimension()];
            java.util.Arrays.fill(maskShape, 1);
            maskShape[0] = rows;
            try (NDArray g = p.getGradient(); ai.djl.ndarray.NDManager m = g.getManager().newSubManager()) {
                g.muli(dev.infuse.engine.Tensors.copyOf(m, keep, new ai.djl.ndarray.types.Shape(maskShape))); // (V, 1) against (V, H)
            }
        }
    }

    /** The parameters that train, by name, in the order their owners were added. */
    public Map<String, NDArray> trained() {
        return Collections.unmodifiableMap(trained);
    }

    public Set<String> noDecay() {
        return Collections.unmodifiableSet(noDecay);
    }

    /** The learning rate of {@code name} when the schedule says {@code lr}. */
    public float lr(String name, float lr) {
        Float s = lrScale.get(name);
        return s == null ? lr : lr * s;
    }

    /**
     * "training 1,536 of 110,106,428 parameters (0.0014%)": what moves against everything the run holds, the
     * encoder and every owner given; an adapter run is worth its name only when this share is small.
     */
    public String share(BertModel encoder, ParameterOwner... others) {
        long trainedCount = 0;
        for (Map.Entry<String, NDArray> e : trained.entrySet()) {
            AdamW.Split split = splits.get(e.getKey());
            trainedCount += split != null && split.before() == 0 ? e.getValue().size() - split.at() : e.getValue().size();
        }
        long all = count(encoder);
        for (LayerHook h : encoder.hooks()) {
            all += count(h);
        }
        for (ParameterOwner o : others) {
            all += count(o);
        }
        return String.format(java.util.Locale.ROOT, "training %,d of %,d parameters (%.4f%%)", trainedCount, all, 100.0 * trainedCount / all);
    }

    private static long count(ParameterOwner o) {
        return o.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** Every owner except the encoder, in the order added. */
    public List<ParameterOwner> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** Turns gradient recording on (for the run) or off (after it) for every trained parameter. */
    void recordGradients(boolean on) {
        trained.values().forEach(p -> p.setRequiresGradient(on));
    }
}
