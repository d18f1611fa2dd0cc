package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One bottleneck, {@code W_up·act(W_down·x + b_down) + b_up}, under AdapterHub's parameter names
 * ({@code <at>.adapter_down.0.weight} [m, H], {@code .bias} [m], {@code <at>.adapter_up.weight} [H, m], {@code .bias} [H]).
 *
 * <p>Initialisation follows AdapterHub's default {@code init_weights="bert"} ({@code Adapter.init_bert_weights} in
 * adapters' {@code methods/modeling.py}, read 2026-12): every Linear, the up-projection included, gets N(0, 0.02)
 * weights and zero biases. Only the non-default {@code "mam_adapter"} init zeroes {@code adapter_up}, and
 * {@code "houlsby"} draws both from a truncated N(0, 0.01); so an adapter here does not start as the identity,
 * exactly as AdapterHub's does not.
 */
final class Bottleneck {
    /** AdapterHub's {@code non_linearity} names for what we implement; Houlsby's default is swish, Pfeiffer's relu. */
    enum NonLinearity {
        RELU, SWISH;

        static NonLinearity parse(String name, String where) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "relu" -> RELU;
                case "swish", "silu" -> SWISH;
                default -> throw new InfuseException(where + ": non_linearity \"" + name + "\" is not supported (relu or swish)");
            };
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        NDArray apply(NDArray x) {
            if (this == RELU) {
                return Activation.relu(x);
            }
            try (NDArray s = Activation.sigmoid(x)) { // swish = x·sigmoid(x), no scalar overload
                return x.mul(s);
            }
        }
    }

    final String at;
    final NDArray downWeight; // (m, H)
    final NDArray downBias; // (m)
    final NDArray upWeight; // (H, m)
    final NDArray upBias; // (H)

    private Bottleneck(String at, NDArray downWeight, NDArray downBias, NDArray upWeight, NDArray upBias) {
        this.at = at;
        this.downWeight = downWeight;
        this.downBias = downBias;
        this.upWeight = upWeight;
        this.upBias = upBias;
    }

    /** Fresh N(0, 0.02) weights, zero biases, drawn from {@code rng} in name order. */
    static Bottleneck init(NDManager m, String at, int hidden, int units, Random rng) {
        return new Bottleneck(at, Tensors.copyOf(m, normal(units * hidden, rng), new Shape(units, hidden)), m.zeros(new Shape(units)),
                Tensors.copyOf(m, normal(hidden * units, rng), new Shape(hidden, units)), m.zeros(new Shape(hidden)));
    }

    /** From tensors by AdapterHub's names; a missing one or a shape other than the model's is one error naming it. */
    static Bottleneck of(NDManager m, String at, int hidden, int units, Map<String, dev.infuse.model.io.HostTensor> tensors, String where) {
        return new Bottleneck(at, take(m, tensors, at + ".adapter_down.0.weight", new long[] {units, hidden}, where),
                take(m, tensors, at + ".adapter_down.0.bias", new long[] {units}, where),
                take(m, tensors, at + ".adapter_up.weight", new long[] {hidden, units}, where),
                take(m, tensors, at + ".adapter_up.bias", new long[] {hidden}, where));
    }

    static NDArray take(NDManager m, Map<String, dev.infuse.model.io.HostTensor> tensors, String name, long[] shape, String where) {
        dev.infuse.model.io.HostTensor t = tensors.get(name);
        if (t == null) {
            throw new InfuseException(where + " lacks tensor " + name);
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new InfuseException(where + ": " + name + " has shape " + t.shapeString() + ", the model needs " + java.util.Arrays.toString(shape));
        }
        return Tensors.fromHost(m, t);
    }

    private static float[] normal(int n, Random rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * 0.02);
        }
        return v;
    }

    /** up(act(down(x))) (B, T, H); x first in every op, intermediates closed once read. */
    NDArray apply(NDArray x, NonLinearity act) {
        try (NDArray down = Linear.linear(x, downWeight, downBias).singletonOrThrow(); // (B, T, m)
                NDArray mid = act.apply(down)) {
            return Linear.linear(mid, upWeight, upBias).singletonOrThrow(); // (B, T, H)
        }
    }

    void putParameters(Map<String, NDArray> out) {
        out.put(at + ".adapter_down.0.weight", downWeight);
        out.put(at + ".adapter_down.0.bias", downBias);
        out.put(at + ".adapter_up.weight", upWeight);
        out.put(at + ".adapter_up.bias", upBias);
    }

    static Map<String, NDArray> parameters(Iterable<Bottleneck> all) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        all.forEach(b -> b.putParameters(m));
        return m;
    }
}
