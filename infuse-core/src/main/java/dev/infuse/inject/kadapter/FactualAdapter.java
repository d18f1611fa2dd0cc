package dev.infuse.inject.kadapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.InfuseException;
import dev.infuse.engine.Bf16Kernels;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.BertOutput;
import dev.infuse.model.OutputModule;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The factual adapter as a module after the encoder. Adapter layer k reads the encoder's hidden state
 * {@code layers[k]} plus the previous adapter layer's output (nothing for the first):
 *
 * <pre>
 *   f_k = h[layers[k]] + a_{k-1}                                     (B, T, H)
 *   a_k = f_k + up(transformer_2(transformer_1(down(f_k))))         down: H to A, up: A to H
 *   out = [states ; a_last]                                           (B, T, W + H)
 * </pre>
 *
 * Each transformer layer is BERT's (self-attention, feed-forward, post-LayerNorm, GELU, dropout 0.1). Parameter
 * names are the reference's {@code AdapterModel} state-dict names under {@code kadapter.}
 * ({@code kadapter.adapter.0.down_project.weight}, {@code kadapter.adapter.0.encoder.layer.1.attention.self.query.weight}).
 * Unlike the reference, whose adapter attends to every position, padding is masked here as in the encoder, so a
 * token's output does not depend on what it is batched with.
 */
public final class FactualAdapter implements OutputModule, AutoCloseable {
    public static final String PREFIX = "kadapter.";
    private static final List<String> LINEARS = List.of("attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense");

    private final KadapterConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;

    private FactualAdapter(KadapterConfig config, NDManager manager, Map<String, NDArray> params) {
        this.config = config;
        this.manager = manager;
        this.params = params;
    }

    /** Every parameter's name (without {@link #PREFIX}) and shape, in the order they are drawn. */
    static Map<String, long[]> shapes(KadapterConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        int h = c.hidden();
        int a = c.adapterSize();
        for (int k = 0; k < c.layers().size(); k++) {
            String p = "adapter." + k + ".";
            out.put(p + "down_project.weight", new long[] {a, h});
            out.put(p + "down_project.bias", new long[] {a});
            for (int j = 0; j < c.transformerLayers(); j++) {
                String q = p + "encoder.layer." + j + ".";
                for (String lin : LINEARS) {
                    long in = lin.equals("output.dense") ? c.intermediate() : a;
                    long outW = lin.equals("intermediate.dense") ? c.intermediate() : a;
                    out.put(q + lin + ".weight", new long[] {outW, in});
                    out.put(q + lin + ".bias", new long[] {outW});
                }
                for (String ln : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
                    out.put(q + ln + ".weight", new long[] {a});
                    out.put(q + ln + ".bias", new long[] {a});
                }
            }
            out.put(p + "up_project.weight", new long[] {h, a});
            out.put(p + "up_project.bias", new long[] {h});
        }
        return out;
    }

    /**
     * Fresh weights from {@code seed}: the down- and up-projections normal(0, initRange) as the reference's
     * {@code init_weights}, the transformer layers' weights normal(0, 0.02), biases zero, LayerNorms one.
     */
    public static FactualAdapter create(KadapterConfig c, long seed) {
        Random rng = new Random(seed);
        Map<String, HostTensor> t = new LinkedHashMap<>();
        shapes(c).forEach((name, shape) -> {
            float[] v = new float[Math.toIntExact(HostTensor.numel(shape))];
            if (name.endsWith("LayerNorm.weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (name.endsWith(".weight")) {
                double std = name.contains("_project.") ? c.initRange() : KadapterConfig.INNER_INIT;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * std);
                }
            }
            t.put(name, new HostTensor(shape, FloatBuffer.wrap(v)));
        });
        return of(c, t, "fresh adapter");
    }

    /** The adapter from tensors named as {@link #shapes} names them; a missing, unexpected or mis-shaped one is an error naming it. */
    public static FactualAdapter of(KadapterConfig c, Map<String, HostTensor> tensors, String where) {
        Map<String, long[]> shapes = shapes(c);
        for (String n : tensors.keySet()) {
            if (!shapes.containsKey(n)) {
                throw new InfuseException(where + ": unexpected tensor " + n + " for a K-Adapter of " + c.layers().size() + " layers");
            }
        }
        NDManager m = Engines.newManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        try {
            shapes.forEach((name, shape) -> {
                HostTensor t = tensors.get(name);
                if (t == null) {
                    throw new InfuseException(where + ": the K-Adapter tensor " + name + " is missing");
                }
                if (!java.util.Arrays.equals(t.shape(), shape)) {
                    throw new InfuseException(where + ": " + name + " has shape " + java.util.Arrays.toString(t.shape()) + ", expected "
                            + java.util.Arrays.toString(shape));
                }
                NDArray a = Tensors.fromHost(m, t);
                a.setName(PREFIX + name);
                params.put(PREFIX + name, a);
            });
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return new FactualAdapter(c, m, params);
    }

    public KadapterConfig config() {
        return config;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The weights under the reference's names (without {@link #PREFIX}), for the adapter's file. */
    public Map<String, HostTensor> export() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        params.forEach((n, a) -> out.put(n.substring(PREFIX.length()), dev.infuse.model.Checkpoints.toHost(a)));
        return out;
    }

    @Override
    public int width(int width) {
        return width + config.hidden();
    }

    @Override
    public boolean readsAllHiddenStates() {
        return true;
    }

    @Override
    public NDArray forward(NDArray states, BertOutput encoder, BertInput input, boolean training) {
        if (encoder.hiddenStates().isEmpty()) {
            throw new IllegalStateException("the factual adapter needs every hidden state; the encoder ran without them");
        }
        NDManager m = states.getManager();
        NDArray mask = dev.infuse.model.BertModel.additiveMask(m, input); // (B, 1, 1, T) or (B, 1, T, T), or null
        NDArray last = null; // a_{k-1}
        try {
            for (int k = 0; k < config.layers().size(); k++) {
                NDArray h = encoder.hiddenStates().get(config.layers().get(k)); // (B, T, H)
                NDArray fused = last == null ? h : h.add(last); // (B, T, H)
                if (last != null) {
                    last.close();
                }
                last = adapterLayer(m, k, fused, mask, training);
                if (fused != h) {
                    fused.close(); // autograd keeps what backward needs; the encoder's own states stay the caller's
                }
            }
            return NDArrays.concat(new NDList(states, last), 2); // (B, T, W + H)
        } finally {
            if (last != null) {
                last.close();
            }
            if (mask != null) {
                mask.close();
            }
        }
    }

    /** One adapter layer in a scope of its own, as the encoder runs its layers: only its output outlives it. */
    private NDArray adapterLayer(NDManager m, int k, NDArray fused, NDArray mask, boolean training) {
        String p = PREFIX + "adapter." + k + ".";
        try (NDManager scope = m.newSubManager()) {
            fused.tempAttach(scope); // ops take their first operand's manager: everything below lands in the scope
            NDArray x = linear(fused, p + "down_project"); // (B, T, A)
            for (int j = 0; j < config.transformerLayers(); j++) {
                x = transformer(x, mask, p + "encoder.layer." + j + ".", training);
            }
            NDArray up = linear(x, p + "up_project"); // (B, T, H)
            NDArray out = fused.add(up); // (B, T, H): the reference's residual around the whole layer
            out.attach(m);
            return out;
        }
    }

    /** BERT's layer at width A: self-attention and feed-forward, each with dropout, a residual sum and a LayerNorm. */
    private NDArray transformer(NDArray x, NDArray mask, String q, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int a = config.adapterSize();
        NDArray qh = heads(Tensors.scale(linear(x, q + "attention.self.query"), (float) (1 / Math.sqrt(config.headSize())))); // (B, nh, T, hs)
        NDArray kh = heads(linear(x, q + "attention.self.key")); // (B, nh, T, hs)
        NDArray vh = heads(linear(x, q + "attention.self.value")); // (B, nh, T, hs)
        NDArray scores = matMul(qh, kh.transpose(0, 1, 3, 2)); // (B, nh, T, T)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray probs = BertModel.dropout(scores.softmax(-1), KadapterConfig.DROPOUT, training);
        NDArray context = matMul(probs, vh).transpose(0, 2, 1, 3).reshape(b, t, a); // (B, T, A)
        NDArray attn = BertModel.dropout(linear(context, q + "attention.output.dense"), KadapterConfig.DROPOUT, training);
        NDArray y = norm(attn.add(x), q + "attention.output.LayerNorm"); // (B, T, A)
        NDArray inner = linear(y, q + "intermediate.dense").getNDArrayInternal().gelu(); // (B, T, I), erf GELU as torch's
        NDArray out = BertModel.dropout(linear(inner, q + "output.dense"), KadapterConfig.DROPOUT, training); // (B, T, A)
        return norm(out.add(y), q + "output.LayerNorm");
    }

    /** (B, T, A) to (B, nh, T, hs). */
    private NDArray heads(NDArray x) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.reshape(b, t, config.heads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        NDArray w = params.get(name + ".weight");
        NDArray bias = params.get(name + ".bias");
        if (Engines.precision() == Precision.BF16) {
            return Bf16Kernels.get().linear(x, w, bias);
        }
        return Linear.linear(x, w, bias).singletonOrThrow();
    }

    private static NDArray matMul(NDArray a, NDArray b) {
        return Engines.precision() == Precision.BF16 ? Bf16Kernels.get().matmul(a, b) : a.matMul(b);
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.adapterSize()), params.get(name + ".weight"), params.get(name + ".bias"),
                KadapterConfig.LAYER_NORM_EPS).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
