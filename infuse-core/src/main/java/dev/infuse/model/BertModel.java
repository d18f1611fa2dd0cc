package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.InfuseException;
import dev.infuse.engine.Bf16Kernels;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import dev.infuse.engine.Tensors;
import dev.infuse.model.io.HostTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A BERT-family masked language model (BERT, RoBERTa) as plain tensor code over named parameters.
 *
 * <p>Parameter names are exactly those of Hugging Face's {@code BertForMaskedLM} / {@code RobertaForMaskedLM}
 * checkpoints, so loading and saving are lookups. The MLM decoder is tied to the word embeddings.
 *
 * <p>Memory: parameters live in the model's own manager. Every intermediate of {@link #forward} is
 * attached to the caller's manager (each op's first operand is an input, never a parameter), so a
 * caller that closes its per-batch manager frees the whole pass.
 */
public final class BertModel implements ParameterOwner, AutoCloseable {
    private static final float MASKED = -10000f;

    private final BertConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final String p;
    private final ParameterSpec.HeadNames head;
    private final List<LayerHook> hooks = new ArrayList<>();
    private final java.util.Set<String> noDecay = new java.util.HashSet<>();
    private Precision precision; // null: the process's (Engines.precision)

    private BertModel(BertConfig config, NDManager manager, Map<String, NDArray> params) {
        this.config = config;
        this.manager = manager;
        this.params = params;
        this.p = ParameterSpec.prefix(config);
        this.head = ParameterSpec.HeadNames.of(config);
        for (ParameterSpec spec : ParameterSpec.of(config)) {
            if (!spec.role().decays()) {
                noDecay.add(spec.name());
            }
        }
    }

    /** Builds a model from checkpoint tensors; missing or mis-shaped weights fail with their names. */
    public static BertModel load(BertConfig config, Map<String, HostTensor> tensors, String source) {
        WeightLoader.Report report = WeightLoader.matchOrThrow(config, tensors, source);
        NDManager m = Engines.newManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        Random fallback = new Random(0);
        for (ParameterSpec spec : ParameterSpec.of(config)) {
            HostTensor t = report.matched().get(spec.name());
            NDArray a = t != null ? Tensors.fromHost(m, t) : Tensors.copyOf(m, init(spec, config, fallback), new Shape(spec.shape()));
            a.setName(spec.name());
            params.put(spec.name(), a);
        }
        return new BertModel(config, m, params);
    }

    /** A randomly initialised model (normal(0, initializer_range) weights, zero biases, unit norms). */
    public static BertModel random(BertConfig config, long seed) {
        NDManager m = Engines.newManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        Random rng = new Random(seed);
        for (ParameterSpec spec : ParameterSpec.of(config)) {
            NDArray a = Tensors.copyOf(m, init(spec, config, rng), new Shape(spec.shape()));
            a.setName(spec.name());
            params.put(spec.name(), a);
        }
        return new BertModel(config, m, params);
    }

    private static float[] init(ParameterSpec spec, BertConfig c, Random rng) {
        float[] v = new float[Math.toIntExact(HostTensor.numel(spec.shape()))];
        switch (spec.role()) {
            case EMBEDDING, WEIGHT -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * c.initializerRange());
                }
            }
            case NORM_WEIGHT -> java.util.Arrays.fill(v, 1f);
            default -> { }
        }
        return v;
    }

    public BertConfig config() {
        return config;
    }

    /**
     * Runs this model's matrix products at {@code p} whatever the process chose (a benchmark's fp32 reference
     * beside its bf16 run); null follows {@link Engines#precision()} again.
     */
    public void setPrecision(Precision p) {
        precision = p;
    }

    /** The precision of this model's matrix products. */
    public Precision precision() {
        return precision != null ? precision : Engines.precision();
    }

    /**
     * Adds a module that runs inside every layer (see {@link LayerHook} for where). Hooks run in the order
     * added; with none, the forward pass is exactly the plain model's.
     */
    public void addHook(LayerHook hook) {
        hooks.add(java.util.Objects.requireNonNull(hook, "hook"));
    }

    public void removeHook(LayerHook hook) {
        hooks.remove(hook);
    }

    public List<LayerHook> hooks() {
        return Collections.unmodifiableList(hooks);
    }

    /** Weight decay follows the parameter's role: embeddings and weights decay, biases and norms do not. */
    @Override
    public boolean decays(String name) {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return !noDecay.contains(name);
    }

    /** Parameters by Hugging Face name, in checkpoint order. Read-only view; arrays are the live weights. */
    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    public NDArray parameter(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }

    public NDArray wordEmbeddings() {
        return params.get(p + "embeddings.word_embeddings.weight");
    }

    /** Runs the encoder. Dropout is active only when {@code training}. */
    public BertOutput forward(NDManager m, BertInput in, boolean training) {
        int b = in.batchSize();
        int t = in.length();
        checkRanges(in);
        NDArray ids = Tensors.copyOf(m, flat(in.inputIds()), new Shape(b, t));
        NDArray x = embeddings(m, in, ids, training); // (B, T, H)
        NDArray mask = additiveMask(m, in); // (B, 1, 1, T) or (B, 1, T, T), or null
        List<NDArray> states = in.allHiddenStates() ? new ArrayList<>() : List.of();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            if (in.allHiddenStates()) {
                states.add(x);
            }
            x = scoped(m, x, mask, l, in.context(), training);
        }
        if (in.allHiddenStates()) {
            states.add(x);
        }
        return new BertOutput(x, states);
    }

    private NDArray embeddings(NDManager m, BertInput in, NDArray ids, boolean training) {
        int b = in.batchSize();
        int t = in.length();
        NDArray words = lookup(ids, "embeddings.word_embeddings.weight"); // (B, T, H)
        if (!in.overrides().isEmpty()) {
            words = withOverrides(m, in, words);
        }
        NDArray pos = Tensors.copyOf(m, flat(positionIds(in)), new Shape(b, t));
        long[] types = in.tokenTypeIds() == null ? new long[b * t] : flat(in.tokenTypeIds());
        NDArray typ = Tensors.copyOf(m, types, new Shape(b, t));
        NDArray x = words.add(lookup(pos, "embeddings.position_embeddings.weight"))
                .add(lookup(typ, "embeddings.token_type_embeddings.weight"));
        return dropout(norm(x, p + "embeddings.LayerNorm"), config.hiddenDropoutProb(), training);
    }

    /** Replaces the word embedding at chosen positions, e.g. a PELT entity vector in its slot. */
    private NDArray withOverrides(NDManager m, BertInput in, NDArray words) {
        int b = in.batchSize();
        int t = in.length();
        int h = config.hiddenSize();
        float[] vectors = new float[b * t * h];
        float[] keep = new float[b * t];
        java.util.Arrays.fill(keep, 1f);
        for (BertInput.EmbeddingOverride o : in.overrides()) {
            if (o.vector().length != h) {
                throw new InfuseException("embedding override at [" + o.batch() + "," + o.position() + "] has "
                        + o.vector().length + " values, the model's hidden size is " + h);
            }
            int at = o.batch() * t + o.position();
            System.arraycopy(o.vector(), 0, vectors, at * h, h);
            keep[at] = 0f;
        }
        // words * keep + vectors: keep is 0 exactly where a vector replaces the word embedding.
        NDArray keepMask = Tensors.copyOf(m, keep, new Shape(b, t, 1));
        NDArray over = Tensors.copyOf(m, vectors, new Shape(b, t, h));
        return words.mul(keepMask).add(over); // (B, T, H)
    }

    private long[][] positionIds(BertInput in) {
        if (in.positionIds() != null) {
            return in.positionIds();
        }
        int b = in.batchSize();
        int t = in.length();
        long[][] pos = new long[b][t];
        for (int i = 0; i < b; i++) {
            if (config.isRoberta()) {
                // RoBERTa numbers real tokens from pad_token_id + 1; padding keeps the pad id.
                long next = config.padTokenId() + 1;
                for (int j = 0; j < t; j++) {
                    pos[i][j] = in.inputIds()[i][j] == config.padTokenId() ? config.padTokenId() : next++;
                }
            } else {
                for (int j = 0; j < t; j++) {
                    pos[i][j] = j;
                }
            }
        }
        return pos;
    }

    /**
     * The batch's visibility as attention adds it to the scores: -10000 where a token may not look, 0 elsewhere;
     * (B, 1, T, T) from a visibility matrix, (B, 1, 1, T) from a padding mask, null when every token sees every
     * token. Modules that run attention of their own over the batch (K-Adapter's) mask it the same way.
     */
    public static NDArray additiveMask(NDManager m, BertInput in) {
        int b = in.batchSize();
        int t = in.length();
        if (in.visibility() != null) {
            float[] add = new float[b * t * t];
            for (int i = 0; i < b; i++) {
                for (int r = 0; r < t; r++) {
                    for (int c = 0; c < t; c++) {
                        add[(i * t + r) * t + c] = in.visibility()[i][r][c] ? 0f : MASKED;
                    }
                }
            }
            return Tensors.copyOf(m, add, new Shape(b, 1, t, t));
        }
        if (in.paddingMask() != null) {
            float[] add = new float[b * t];
            boolean any = false;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    boolean pad = in.paddingMask()[i][j] == 0;
                    add[i * t + j] = pad ? MASKED : 0f;
                    any |= pad;
                }
            }
            return any ? Tensors.copyOf(m, add, new Shape(b, 1, 1, t)) : null;
        }
        return null;
    }

    /**
     * Runs one layer with its intermediates in a scope closed at the layer's end. DJL frees an op's result
     * only when its manager closes, so without this a forward pass would keep every activation (over a
     * gigabyte for BERT-base at B=8, T=128) and page-fault fresh memory on each call. Autograd holds its own
     * references to what backward needs, so closing the Java handles is safe in training too.
     */
    private NDArray scoped(NDManager m, NDArray x, NDArray mask, int l, ForwardContext ctx, boolean training) {
        try (NDManager scope = m.newSubManager()) {
            x.tempAttach(scope); // ops take their first operand's manager: everything below lands in scope
            NDArray out = layer(l, x, mask, ctx, training);
            out.attach(m);
            return out;
        }
    }

    /**
     * One encoder layer. Each intermediate is closed as soon as the op that reads it last has run ({@link
     * #then}), as torch's reference counting frees it, so the layer holds only what autograd keeps and the
     * op in flight. Left to the layer's scope, about 34 MB of intermediates a layer (BERT-base, B=8, T=128)
     * were freed together at its end, as holes between the activations autograd keeps. Autograd keeps its own
     * references to what backward reads, so closing a handle here never frees a saved tensor.
     */
    private NDArray layer(int l, NDArray x, NDArray mask, ForwardContext ctx, boolean training) {
        String q = p + "encoder.layer." + l + ".";
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int h = config.hiddenSize();
        float invSqrtHead = (float) (1 / Math.sqrt(config.headSize()));
        // Scaling the queries (B*T*H values) is cheaper than scaling the scores (B*nh*T*T).
        NDArray qh = then(then(proj(x, l, "attention.self.query", ctx, training), y -> Tensors.scale(y, invSqrtHead)), this::heads);
        NDArray kh = then(proj(x, l, "attention.self.key", ctx, training), this::heads); // (B, nh, T, hs)
        NDArray vh = then(proj(x, l, "attention.self.value", ctx, training), this::heads); // (B, nh, T, hs)
        NDArray scores = then(then(kh, k -> k.transpose(0, 1, 3, 2)), k -> matMul(qh, k)); // (B, nh, T, T)
        qh.close();
        if (mask != null) {
            scores = then(scores, y -> y.add(mask));
        }
        NDArray probs = then(then(scores, y -> y.softmax(-1)), y -> dropout(y, config.attentionProbsDropoutProb(), training));
        NDArray context = then(then(then(probs, y -> matMul(y, vh)), y -> y.transpose(0, 2, 1, 3)), y -> y.reshape(b, t, h)); // (B, T, H)
        vh.close();
        NDArray attn = then(then(context, y -> proj(y, l, "attention.output.dense", ctx, training)),
                y -> dropout(y, config.hiddenDropoutProb(), training)); // (B, T, H)
        NDArray a = block(LayerHook.Point.AFTER_ATTENTION, l, attn, x, false, q + "attention.output.LayerNorm", ctx, training); // (B, T, H)
        NDArray inner = then(proj(a, l, "intermediate.dense", ctx, training), this::activation); // (B, T, I)
        NDArray out = then(then(inner, y -> proj(y, l, "output.dense", ctx, training)), y -> dropout(y, config.hiddenDropoutProb(), training));
        return block(LayerHook.Point.AFTER_FEED_FORWARD, l, out, a, true, q + "output.LayerNorm", ctx, training); // (B, T, H)
    }

    /**
     * A residual block, {@code LayerNorm(h + x)}, with the hooks' say: each may change h first, and one may
     * compute the whole block. Closes h's handle, and x's after its last reader when {@code closeX}.
     */
    private NDArray block(LayerHook.Point point, int l, NDArray h, NDArray x, boolean closeX, String norm, ForwardContext ctx,
            boolean training) {
        java.util.function.UnaryOperator<NDArray> ln = y -> norm(y, norm);
        if (hooks.isEmpty()) { // the plain model's path, op for op
            NDArray sum = then(h, y -> y.add(x));
            if (closeX) {
                x.close();
            }
            return then(sum, ln);
        }
        NDArray y = hookedBlock(point, l, h, x, ln, ctx, training);
        if (closeX) {
            x.close();
        }
        return y;
    }

    private NDArray hookedBlock(LayerHook.Point point, int l, NDArray h, NDArray x, java.util.function.UnaryOperator<NDArray> ln,
            ForwardContext ctx, boolean training) {
        LayerHook owner = null;
        NDArray out = h;
        for (LayerHook hook : hooks) {
            out = then(out, y -> hook.output(new LayerHook.Block(point, l, y, x, ln, ctx, training)));
            if (hook.ownsBlock(point, l)) {
                if (owner != null) {
                    throw new InfuseException(owner.getClass().getSimpleName() + " and " + hook.getClass().getSimpleName()
                            + " both compute the residual block " + point + " of layer " + l + "; only one module can own it");
                }
                owner = hook;
            }
        }
        if (owner == null) {
            return then(then(out, y -> y.add(x)), ln);
        }
        LayerHook o = owner;
        return then(out, y -> o.block(new LayerHook.Block(point, l, y, x, ln, ctx, training)));
    }

    /** A projection of layer l by its name within the layer, through every hook that wraps it (LoRA). */
    private NDArray proj(NDArray x, int l, String module, ForwardContext ctx, boolean training) {
        NDArray base = dense(x, p + "encoder.layer." + l + "." + module);
        for (LayerHook hook : hooks) {
            if (hook.wraps(l, module)) {
                base = then(base, y -> hook.linear(l, module, x, y, ctx, training));
            }
        }
        return base;
    }

    /** {@code op(x)}, with x's handle closed unless op returned x itself. */
    private static NDArray then(NDArray x, java.util.function.UnaryOperator<NDArray> op) {
        NDArray y = op.apply(x);
        if (y != x) {
            x.close();
        }
        return y;
    }

    /** (B, T, H) to (B, nh, T, hs). */
    private NDArray heads(NDArray x) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.reshape(b, t, config.numAttentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    /**
     * The MLM head's transform (dense, activation, LayerNorm) over hidden states (..., H). Its output lives
     * in the space of the tied word embeddings; PELT stores exactly this vector.
     */
    public NDArray mlmTransform(NDArray hidden) {
        return norm(activation(dense(hidden, head.dense())), head.norm());
    }

    /** Vocabulary logits (..., V) from transformed states, through the decoder tied to the word embeddings. */
    public NDArray mlmLogits(NDArray transformed) {
        return linear(transformed, wordEmbeddings(), params.get(head.bias()));
    }

    private NDArray dense(NDArray x, String name) {
        return linear(x, params.get(name + ".weight"), params.get(name + ".bias"));
    }

    /** x (..., in) by w (out, in) plus b (out): fp32 through DJL as always, bf16 through the TorchScript kernels. */
    private NDArray linear(NDArray x, NDArray w, NDArray b) {
        if (precision() == Precision.BF16) {
            return Bf16Kernels.get().linear(x, w, b);
        }
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /** Attention's batched products (B, nh, T, *); only their precision differs between the two paths. */
    private NDArray matMul(NDArray a, NDArray b) {
        return precision() == Precision.BF16 ? Bf16Kernels.get().matmul(a, b) : a.matMul(b);
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), params.get(name + ".weight"),
                params.get(name + ".bias"), config.layerNormEps()).singletonOrThrow();
    }

    private NDArray lookup(NDArray ids, String name) {
        return ids.getNDArrayInternal().embedding(ids, params.get(p + name), ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray activation(NDArray x) {
        if (config.hiddenAct().equals("gelu")) {
            return x.getNDArrayInternal().gelu(); // PyTorch's default GELU is the exact erf form.
        }
        // tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = Tensors.scale(x.add(Tensors.scale(x.mul(x).mul(x), 0.044715f)), (float) Math.sqrt(2 / Math.PI));
        try (NDArray one = Tensors.scalar(x.getManager(), 1f)) {
            return Tensors.scale(x.mul(inner.tanh().add(one)), 0.5f);
        }
    }

    /**
     * Inverted dropout that leaves backward a one-byte mask. torch's CPU dropout multiplies by a float noise
     * tensor (0 or 1/(1-p)) and autograd keeps that tensor for backward: four bytes per element, about 150 MB
     * of a BERT-base step at B=8, T=128. Here the input is scaled first (that product is not kept) and then
     * multiplied by a boolean keep mask, which is what autograd keeps. The mask is drawn from torch's generator,
     * so the trainer's per-step seeding makes it reproducible as before.
     */
    public static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate == 0f) {
            return x;
        }
        NDManager m = x.getManager();
        try (NDArray uniform = m.randomUniform(0f, 1f, x.getShape());
                NDArray threshold = Tensors.scalar(m, rate);
                NDArray keep = uniform.gte(threshold);
                NDArray scaled = Tensors.scale(x, 1f / (1f - rate))) {
            return scaled.mul(keep);
        }
    }

    private void checkRanges(BertInput in) {
        check(in.inputIds(), config.vocabSize(), "token id", "the vocabulary");
        check(in.tokenTypeIds(), config.typeVocabSize(), "token type id", "type_vocab_size");
        check(in.positionIds(), config.maxPositionEmbeddings(), "position id", "max_position_embeddings");
        int limit = config.maxSequenceLength();
        if (in.positionIds() == null && in.length() > limit) {
            throw new InfuseException("sequence of " + in.length() + " tokens is longer than the model's " + limit + " positions");
        }
    }

    private static void check(long[][] a, int bound, String what, String limit) {
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (a[i][j] < 0 || a[i][j] >= bound) {
                    throw new InfuseException(what + " " + a[i][j] + " at [" + i + "," + j + "] is outside " + limit + " (" + bound + ")");
                }
            }
        }
    }

    static long[] flat(long[][] a) {
        int t = a[0].length;
        long[] out = new long[a.length * t];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * t, t);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The data type every parameter, input and output uses, also under {@link Precision#BF16} (only the
     * matrix products compute in bf16, inside libtorch); a bf16 array in Java would abort the JVM.
     */
    public static DataType dtype() {
        return DataType.FLOAT32;
    }
}
