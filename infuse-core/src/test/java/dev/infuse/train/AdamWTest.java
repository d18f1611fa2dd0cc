package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AdamW against the update written out in plain Java doubles, with and without decoupled decay. */
class AdamWTest {
    @Test
    void threeStepsMatchTheFormula() {
        float[] w0 = {0.5f, -1.5f, 2f, 0.01f};
        float[] scale = {1f, -2f, 0.5f, 3f}; // loss = sum(scale * w^2), so the gradient is 2 * scale * w
        AdamW.Settings set = new AdamW.Settings(0.9f, 0.999f, 1e-6f, 0.1f);
        float lr = 0.05f;
        try (NDManager m = Engines.newManager(); AdamW adam = new AdamW(set)) {
            NDArray w = Tensors.copyOf(m, w0, new Shape(4));
            NDArray v = Tensors.copyOf(m, w0, new Shape(4));
            NDArray c = Tensors.copyOf(m, scale, new Shape(4));
            w.setRequiresGradient(true);
            v.setRequiresGradient(true);
            double[] rw = toDouble(w0);
            double[] rv = toDouble(w0);
            double[][] mw = new double[2][4];
            double[][] vw = new double[2][4];
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector gc = Engines.get().newGradientCollector()) {
                    NDArray loss = c.mul(w).mul(w).sum().add(c.mul(v).mul(v).sum());
                    gc.backward(loss);
                }
                adam.step(Map.of("w", w, "v", v), Set.of("v"), lr);
                reference(rw, scale, mw, vw, 0, t, set, lr, true);
                reference(rv, scale, mw, vw, 1, t, set, lr, false);
                assertArrayEquals(toFloat(rw), w.toFloatArray(), 1e-6f, "decayed weight, step " + t);
                assertArrayEquals(toFloat(rv), v.toFloatArray(), 1e-6f, "undecayed weight, step " + t);
            }
        }
    }

    /** The trainer allocates the moments before the first step; the updates must not change by a bit. */
    @Test
    void momentsPreparedBeforeTheFirstStepGiveTheSameUpdates() {
        float[] lazy = threeSteps(false);
        float[] prepared = threeSteps(true);
        assertArrayEquals(lazy, prepared, 0f);
    }

    private static float[] threeSteps(boolean prepare) {
        float[] w0 = {0.5f, -1.5f, 2f, 0.01f};
        try (NDManager m = Engines.newManager(); AdamW adam = new AdamW(AdamW.Settings.withDecay(0.01f))) {
            NDArray w = Tensors.copyOf(m, w0, new Shape(4));
            NDArray frozen = Tensors.copyOf(m, w0, new Shape(4)); // trained but not in the loss
            w.setRequiresGradient(true);
            frozen.setRequiresGradient(true);
            Map<String, NDArray> params = new java.util.TreeMap<>(Map.of("w", w, "unused", frozen));
            if (prepare) {
                adam.prepare(params);
                org.junit.jupiter.api.Assertions.assertEquals(Set.of("m.w", "v.w", "m.unused", "v.unused"), adam.exportMoments().keySet());
            }
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector gc = Engines.get().newGradientCollector()) {
                    gc.backward(w.mul(w).sum());
                }
                adam.step(params, Set.of(), 0.05f);
            }
            float[] out = java.util.Arrays.copyOf(w.toFloatArray(), 8);
            System.arraycopy(frozen.toFloatArray(), 0, out, 4, 4);
            return out;
        }
    }

    private static void reference(double[] w, float[] scale, double[][] m, double[][] v, int k, int t, AdamW.Settings s, float lr,
            boolean decay) {
        for (int i = 0; i < w.length; i++) {
            double g = 2 * scale[i] * w[i];
            m[k][i] = s.beta1() * m[k][i] + (1 - s.beta1()) * g;
            v[k][i] = s.beta2() * v[k][i] + (1 - s.beta2()) * g * g;
            if (decay) {
                w[i] *= 1 - lr * s.weightDecay();
            }
            double mhat = m[k][i] / (1 - Math.pow(s.beta1(), t));
            double vhat = v[k][i] / (1 - Math.pow(s.beta2(), t));
            w[i] -= lr * mhat / (Math.sqrt(vhat) + s.eps());
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
