package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The linear head an objective owns beside the encoder (SenseBERT's supersenses, WKLM's swap detector, LIBERT's
 * relation classifier): {@code prefix.weight} (out, in) drawn from N(0, 0.02), BERT's initializer range, and
 * {@code prefix.bias} (out) zero, in a scope of its own that lives as long as the objective.
 */
public final class LinearHead implements AutoCloseable {
    private final NDManager manager = Engines.newManager();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final NDArray weight; // (out, in)
    private final NDArray bias; // (out)

    public LinearHead(String prefix, int out, int in, long seed) {
        float[] w = new float[out * in];
        Random rng = new Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.02);
        }
        weight = Tensors.copyOf(manager, w, new Shape(out, in));
        bias = manager.zeros(new Shape(out));
        parameters.put(prefix + ".weight", weight);
        parameters.put(prefix + ".bias", bias);
    }

    /** x (N, in) → (N, out). */
    public NDArray apply(NDArray x) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    public Map<String, NDArray> parameters() {
        return parameters;
    }

    @Override
    public void close() {
        manager.close();
    }
}
