package dev.infuse.inject.nmg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.ParameterOwner;
import dev.infuse.model.io.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The masking policy and its critic, as the reference builds them, over the last hidden states (B, T, H) of
 * the model being adapted:
 *
 * <pre>
 * states ─► one post-LN transformer layer ─► per token H→128→1 ─► log-softmax over the maskable tokens  (actor)
 * states ─► mean over the real tokens ─► H→128→1                                                      (critic)
 * </pre>
 *
 * No dropout: the policy sees a few hundred texts, and its choices at use must not depend on a draw.
 * Parameters are named {@code <prefix>.…} so a player and its opponent can be trained and saved side by side.
 */
public final class PolicyNet implements ParameterOwner, AutoCloseable {
    /** Far below any real logit: exp of it is exactly 0 in float32, so a padding or special token is never chosen. */
    private static final float EXCLUDED = -1e9f;

    /** @param logProbs (B, T) log π over each row's maskable tokens; @param value (B) the critic's estimate */
    public record Output(NDArray logProbs, NDArray value) {}

    private final PolicyConfig config;
    private final String prefix;
    private final NDManager manager = Engines.newManager();
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    private PolicyNet(PolicyConfig config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** BERT's initialisation: N(0, 0.02) weights, zero biases, unit norms. */
    public static PolicyNet random(PolicyConfig config, String prefix, long seed) {
        PolicyNet n = new PolicyNet(config, prefix);
        Random rng = new Random(seed);
        int h = config.hidden();
        for (String proj : new String[] {"attention.query", "attention.key", "attention.value", "attention.output"}) {
            n.linear(proj, h, h, rng);
        }
        n.norm("attention.LayerNorm", h);
        n.linear("intermediate", config.intermediate(), h, rng);
        n.linear("output", h, config.intermediate(), rng);
        n.norm("output.LayerNorm", h);
        n.linear("actor.0", config.mlp(), h, rng);
        n.linear("actor.1", 1, config.mlp(), rng);
        n.linear("critic.0", config.mlp(), h, rng);
        n.linear("critic.1", 1, config.mlp(), rng);
        return n;
    }

    /** A net with the weights of {@code tensors}, stored under {@code from}'s prefix, renamed to {@code prefix}. */
    public static PolicyNet of(PolicyConfig config, String prefix, Map<String, HostTensor> tensors, String from) {
        PolicyNet n = random(config, prefix, 0);
        n.load(tensors, from);
        return n;
    }

    /** Overwrites every parameter with {@code tensors}' values, named under {@code from} instead of this net's prefix. */
    public void load(Map<String, HostTensor> tensors, String from) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = from + e.getKey().substring(prefix.length());
            HostTensor t = tensors.get(name);
            if (t == null) {
                throw new dev.infuse.InfuseException("NMG policy weights lack \"" + name + "\"");
            }
            if (!e.getValue().getShape().equals(new Shape(t.shape()))) {
                throw new dev.infuse.InfuseException("NMG policy weight \"" + name + "\" is " + t.shapeString() + ", this policy needs "
                        + e.getValue().getShape());
            }
            Tensors.assign(e.getValue(), t);
        }
    }

    /** Every parameter copied to the host, by name. */
    public Map<String, HostTensor> export() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, Checkpoints.toHost(v)));
        return out;
    }

    public PolicyConfig config() {
        return config;
    }

    public String prefix() {
        return prefix;
    }

    private void linear(String name, int out, int in, Random rng) {
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.02);
        }
        put(name + ".weight", Tensors.copyOf(manager, w, new Shape(out, in)));
        put(name + ".bias", manager.zeros(new Shape(out)));
    }

    private void norm(String name, int h) {
        put(name + ".weight", manager.ones(new Shape(h)));
        put(name + ".bias", manager.zeros(new Shape(h)));
    }

    private void put(String name, NDArray a) {
        a.setName(prefix + "." + name);
        params.put(prefix + "." + name, a);
    }

    private NDArray p(String name) {
        return params.get(prefix + "." + name);
    }

    /**
     * @param states (B, T, H) the model's last hidden states, constants
     * @param real per row and token, 1 for a token of the text (specials included), 0 for padding
     * @param maskable per row and token, 1 where the policy may choose (not special, not padding)
     */
    public Output forward(NDManager s, NDArray states, float[][] real, float[][] maskable) {
        long b = states.getShape().get(0);
        long t = states.getShape().get(1);
        NDArray h = layer(s, states, real); // (B, T, H)
        NDArray logits = dense(Activation.relu(dense(h, "actor.0")), "actor.1").reshape(b, t); // (B, T)
        NDArray excluded = Tensors.copyOf(s, additive(maskable, EXCLUDED), new Shape(b, t)); // 0 where maskable
        NDArray logProbs = logits.add(excluded).logSoftmax(-1); // (B, T)
        NDArray realMask = Tensors.copyOf(s, flat(real), new Shape(b, t, 1));
        NDArray counts = realMask.sum(new int[] {1}); // (B, 1)
        NDArray pooled = states.mul(realMask).sum(new int[] {1}).div(counts); // (B, H)
        NDArray value = dense(Activation.relu(dense(pooled, "critic.0")), "critic.1").reshape(b); // (B)
        return new Output(logProbs, value);
    }

    /** The critic alone on mean-pooled states (N, H): what replay sampling needs for every memory entry. */
    public NDArray value(NDArray pooled) {
        long n = pooled.getShape().get(0);
        return dense(Activation.relu(dense(pooled, "critic.0")), "critic.1").reshape(n); // (N)
    }

    /** One BERT-style encoder layer: self-attention over the real tokens, then the feed-forward block, each LN(x + f(x)). */
    private NDArray layer(NDManager s, NDArray x, float[][] real) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.heads();
        int hs = config.headSize();
        NDArray q = heads(Tensors.scale(dense(x, "attention.query"), (float) (1 / Math.sqrt(hs))), heads, hs); // (B, nh, T, hs)
        NDArray k = heads(dense(x, "attention.key"), heads, hs); // (B, nh, T, hs)
        NDArray v = heads(dense(x, "attention.value"), heads, hs); // (B, nh, T, hs)
        NDArray padding = Tensors.copyOf(s, additive(real, -10000f), new Shape(b, 1, 1, t));
        NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(padding).softmax(-1); // (B, nh, T, T)
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.hidden()); // (B, T, H)
        NDArray a = norm(dense(context, "attention.output").add(x), "attention.LayerNorm"); // (B, T, H)
        NDArray inner = dense(a, "intermediate").getNDArrayInternal().gelu(); // (B, T, I)
        return norm(dense(inner, "output").add(a), "output.LayerNorm"); // (B, T, H)
    }

    private static NDArray heads(NDArray x, int heads, int hs) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.reshape(b, t, heads, hs).transpose(0, 2, 1, 3);
    }

    private NDArray dense(NDArray x, String name) {
        return Linear.linear(x, p(name + ".weight"), p(name + ".bias")).singletonOrThrow();
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.hidden()), p(name + ".weight"), p(name + ".bias"), config.layerNormEps())
                .singletonOrThrow();
    }

    /** 0 where {@code keep} is 1, {@code off} where it is 0, flattened row-major. */
    private static float[] additive(float[][] keep, float off) {
        float[] f = flat(keep);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i] > 0 ? 0f : off;
        }
        return f;
    }

    static float[] flat(float[][] a) {
        int t = a[0].length;
        float[] out = new float[a.length * t];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * t, t);
        }
        return out;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    @Override
    public void close() {
        manager.close();
    }
}
