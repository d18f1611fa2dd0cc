package dev.infuse.inject.ernie;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.ForwardContext;
import dev.infuse.model.LayerHook;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * ERNIE (THU)'s information fusion in the top K layers, as a layer hook. In a fusion layer the feed-forward block's
 * inner activation takes the aligned entity's vector e beside the token state h,
 *
 * <pre>
 *   g      = GELU(W_t·h + W_e·e + b)          W_t, b: the layer's own intermediate.dense; W_e added here
 *   token  = LN(W'_t·g + h)                   the layer's own output.dense and LayerNorm
 *   entity = LN_e(W'_e·g + b'_e + e)          added here; the next fusion layer's e
 * </pre>
 *
 * so a token with no entity (e = 0) runs the plain layer. The entity state starts as the frozen KG vector at each
 * aligned token ({@link EntityAlignment}) and is zero elsewhere; the top layer's entity output is never read, so
 * it has no W'_e. With entity heads (ERNIE's aggregator: 4 over its 100-dimensional TransE vectors), each fusion
 * layer first runs the entity states through a self-attention of their own ({@link EntityAttention}), and e~ takes
 * e's place in both formulas; with none (the default, and what the comparison measured) they skip it.
 *
 * <p>Per forward pass the hook keeps the entity state from one fusion layer to the next in a scope of its own,
 * released when the next forward pass starts or the hook closes. Like the encoder it sits in, it runs one forward pass
 * at a time.
 */
public final class ErnieFusion implements LayerHook, AutoCloseable {
    public static final String FILE = "ernie_fusion.safetensors";
    static final String FORMAT = "infuse-ernie-fusion-1";
    private static final String INTERMEDIATE = "intermediate.dense";
    private static final String OUTPUT = "output.dense";
    private static final String ATTENTION = "entity_attention.";

    private final NDManager manager;
    private final EntityVectors entities;
    private final NDArray table; // (N, d), frozen
    private final int first; // the first fusion layer
    private final int last; // the top layer
    private final int dim;
    private final float eps;
    private final int heads; // entity self-attention heads, 0 for none
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private NDManager state; // this forward pass's entity states
    private ForwardContext stateOf;
    private NDArray entity; // (B, T, d) the entity state entering the current fusion layer
    private NDArray mask; // (B, T, 1) 1 at aligned tokens
    private NDArray keyBias; // (B, 1, 1, T) for the entity self-attention

    private ErnieFusion(EntityVectors entities, int layers, int heads, BertConfig c, NDManager manager) {
        if (layers < 1 || layers > c.numHiddenLayers()) {
            throw new InfuseException("--ernie-layers must be between 1 and the model's " + c.numHiddenLayers() + " layers, found " + layers);
        }
        EntityAttention.check(heads, entities.dim());
        this.heads = heads;
        this.manager = manager;
        this.entities = entities;
        this.dim = entities.dim();
        this.table = Tensors.copyOf(manager, entities.vectors(), new Shape(entities.size(), dim));
        this.last = c.numHiddenLayers() - 1;
        this.first = c.numHiddenLayers() - layers;
        this.eps = (float) c.layerNormEps();
    }

    /** Fresh fusion weights from {@code seed}, without entity self-attention. */
    public static ErnieFusion create(EntityVectors entities, int layers, BertConfig c, long seed) {
        return create(entities, layers, 0, c, seed);
    }

    /** Fresh fusion weights from {@code seed}: BERT's N(0, 0.02) for the projections, zero biases, LayerNorm at identity. */
    public static ErnieFusion create(EntityVectors entities, int layers, int heads, BertConfig c, long seed) {
        ErnieFusion f = new ErnieFusion(entities, layers, heads, c, Engines.newManager());
        Random rng = new Random(seed);
        int inner = c.intermediateSize();
        for (int l = f.first; l <= f.last; l++) {
            f.put(name(l, "entity_in.weight"), gaussian(f.manager, rng, inner, f.dim));
            if (l < f.last) {
                f.put(name(l, "entity_out.weight"), gaussian(f.manager, rng, f.dim, inner));
                f.put(name(l, "entity_out.bias"), f.manager.zeros(new Shape(f.dim)));
                f.put(name(l, "entity_LayerNorm.weight"), f.manager.ones(new Shape(f.dim)));
                f.put(name(l, "entity_LayerNorm.bias"), f.manager.zeros(new Shape(f.dim)));
            }
        }
        // Drawn after the rest, so a fusion without attention starts from the same weights as before it existed.
        for (int l = f.first; l <= f.last && heads > 0; l++) {
            for (String p : EntityAttention.PROJECTIONS) {
                f.put(name(l, ATTENTION + p + ".weight"), gaussian(f.manager, rng, f.dim, f.dim));
                f.put(name(l, ATTENTION + p + ".bias"), f.manager.zeros(new Shape(f.dim)));
            }
            f.put(name(l, ATTENTION + "LayerNorm.weight"), f.manager.ones(new Shape(f.dim)));
            f.put(name(l, ATTENTION + "LayerNorm.bias"), f.manager.zeros(new Shape(f.dim)));
        }
        return f;
    }

    private static NDArray gaussian(NDManager m, Random rng, int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.02);
        }
        return Tensors.copyOf(m, w, new Shape(rows, cols));
    }

    static String name(int layer, String what) {
        return "ernie.layer." + layer + "." + what;
    }

    private void put(String name, NDArray a) {
        parameters.put(name, a);
    }

    public EntityVectors entities() {
        return entities;
    }

    /** How many top layers fuse. */
    public int layers() {
        return last - first + 1;
    }

    /** The entity self-attention's heads, 0 for none. */
    public int heads() {
        return heads;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public boolean wraps(int layer, String module) {
        return layer >= first && (module.equals(INTERMEDIATE) || (module.equals(OUTPUT) && layer < last));
    }

    @Override
    public NDArray linear(int layer, String module, NDArray x, NDArray base, ForwardContext context, boolean training) {
        if (layer == first && module.equals(INTERMEDIATE)) {
            start(context, base.getShape().get(0), base.getShape().get(1));
        }
        if (entity == null || stateOf != context) {
            return base; // no aligned token in this batch
        }
        if (module.equals(INTERMEDIATE)) {
            if (heads > 0) {
                attendEntities(layer);
            }
            try (NDArray fromEntity = Linear.linear(entity, parameters.get(name(layer, "entity_in.weight")), null).singletonOrThrow()) { // (B, T, I)
                return base.add(fromEntity);
            }
        }
        // output.dense: x is g; the entity state for the next fusion layer
        NDArray next;
        try (NDArray projected = Linear.linear(x, parameters.get(name(layer, "entity_out.weight")), parameters.get(name(layer, "entity_out.bias")))
                .singletonOrThrow(); // (B, T, d)
                NDArray sum = projected.add(entity);
                NDArray normed = LayerNorm.layerNorm(sum, new Shape(dim), parameters.get(name(layer, "entity_LayerNorm.weight")),
                        parameters.get(name(layer, "entity_LayerNorm.bias")), eps).singletonOrThrow()) {
            next = normed.mul(mask);
        }
        next.attach(state);
        entity.close();
        entity = next;
        return base;
    }

    /** Replaces the entity state entering {@code layer} by its self-attention's output, e~. */
    private void attendEntities(int layer) {
        NDArray attended = EntityAttention.apply(entity, mask, keyBias, parameters, name(layer, ATTENTION), heads, eps);
        attended.attach(state);
        entity.close(); // autograd keeps what backward needs, as for the fusion's own entity output below
        entity = attended;
    }

    /** The entity states entering the first fusion layer: each aligned token's KG vector, zero elsewhere. */
    private void start(ForwardContext context, long b, long t) {
        release();
        long[] rows = new long[(int) (b * t)];
        float[] on = new float[rows.length];
        boolean any = false;
        for (int i = 0; i < b; i++) {
            if (context.get(i, EntityAlignment.KEY) instanceof EntityAlignment a) {
                for (int k = 0; k < a.size(); k++) {
                    if (a.positions()[k] < t && a.rows()[k] >= 0) {
                        int at = (int) (i * t + a.positions()[k]);
                        rows[at] = a.rows()[k];
                        on[at] = 1f;
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            return;
        }
        state = manager.newSubManager();
        stateOf = context;
        mask = Tensors.copyOf(state, on, new Shape(b, t, 1));
        try (NDArray ids = Tensors.copyOf(state, rows, new Shape(b, t));
                NDArray looked = ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow()) {
            entity = looked.mul(mask); // (B, T, d)
        }
        if (heads > 0) {
            keyBias = EntityAttention.keyBias(mask);
        }
    }

    private void release() {
        if (state != null) {
            state.close();
        }
        state = null;
        stateOf = null;
        entity = null;
        mask = null;
        keyBias = null;
    }

    /** Writes the fusion weights and the entity vectors into a model directory. */
    public void save(Path dir) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        parameters.forEach((k, v) -> t.put(k, Checkpoints.toHost(v)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("layers", Integer.toString(layers()));
        if (heads > 0) {
            meta.put("entity-heads", Integer.toString(heads)); // absent at 0: the same bytes as before the option existed
        }
        Safetensors.write(dir.resolve(FILE), t, meta);
        entities.write(dir.resolve(EntityVectors.FILE));
    }

    /** The fusion a model directory holds (see {@link #save}), checked against the model's shape. */
    public static ErnieFusion read(Path dir, BertConfig c) {
        Path file = dir.resolve(FILE);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InfuseException(dir + " has no " + FILE + " (ERNIE's fusion weights): pretrain it with --method mlm+dea --ernie-embeddings DIR");
        }
        EntityVectors entities = EntityVectors.read(dir.resolve(EntityVectors.FILE));
        Map<String, String> meta = new HashMap<>();
        Map<String, HostTensor> t = Safetensors.readWithMetadata(file, meta);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new InfuseException(file + " is not ERNIE's fusion weights (format " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        int layers;
        int heads;
        try {
            layers = Integer.parseInt(meta.getOrDefault("layers", ""));
            heads = Integer.parseInt(meta.getOrDefault("entity-heads", "0")); // fusions saved before entity attention existed have none
        } catch (NumberFormatException e) {
            throw new InfuseException(file + ": no layer or head count in its metadata");
        }
        ErnieFusion f = create(entities, layers, heads, c, 0);
        try {
            for (Map.Entry<String, NDArray> p : f.parameters.entrySet()) {
                HostTensor v = t.get(p.getKey());
                if (v == null || !java.util.Arrays.equals(v.shape(), p.getValue().getShape().getShape())) {
                    throw new InfuseException(file + ": " + p.getKey() + " is " + (v == null ? "missing" : v.shapeString()) + ", expected "
                            + p.getValue().getShape() + " for this model");
                }
                Tensors.assign(p.getValue(), v);
            }
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    @Override
    public void close() {
        release();
        manager.close();
    }
}
