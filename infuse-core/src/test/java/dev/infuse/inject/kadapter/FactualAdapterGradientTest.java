package dev.infuse.inject.kadapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.BertOutput;
import dev.infuse.train.TinyRun;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The adapter's gradients are what central finite differences measure, with a GC between forward and backward (docs/DJL.md). */
class FactualAdapterGradientTest {
    static final List<String> CHECKED = List.of("adapter.0.down_project.weight", "adapter.1.encoder.layer.0.attention.self.query.weight",
            "adapter.1.encoder.layer.0.intermediate.dense.bias", "adapter.2.encoder.layer.0.output.LayerNorm.weight", "adapter.2.up_project.weight",
            "adapter.2.up_project.bias");

    static final BertInput INPUT = BertInput.builder().setInputIds(new long[][] {{2, 7, 4, 9, 11, 3}, {2, 13, 14, 4, 3, 0}})
            .optPaddingMask(new int[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}}).optAllHiddenStates(true).build();

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        TinyRun.oneThread();
        BertConfig c = new BertConfig("bert", 40, 32, 2, 4, 64, "gelu", 0f, 0f, 64, 2, 1e-12f, 0, 0.2f);
        // projections at 0.2 rather than 0.0002, so the adapter's own part stands above float32 rounding
        KadapterConfig k = new KadapterConfig(List.of(0, 1, 2), 32, 16, 1, 2, 32, 0.2f);
        float[] weights = new float[2 * 6 * 64]; // the loss weighs the adapter's half of [last ; adapter] only
        Random r = new Random(1);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 64 < 32 ? 0f : (float) r.nextGaussian();
        }
        try (BertModel model = BertModel.random(c, 5); FactualAdapter a = FactualAdapter.create(k, 3); NDManager m = Engines.newManager()) {
            a.parameters().values().forEach(p -> p.setRequiresGradient(true));
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray loss = loss(model, a, s, weights);
                System.gc(); // the scalar use-after-free shows up only if a GC runs before backward
                gc.backward(loss);
            }
            Tensors.noGrad();
            for (String name : CHECKED) {
                NDArray p = a.parameters().get(FactualAdapter.PREFIX + name);
                float[] grad;
                try (NDArray g = p.getGradient()) {
                    grad = g.toFloatArray();
                }
                float[] w = p.toFloatArray();
                for (int i : largest(grad, 3)) {
                    double eps = 1e-2;
                    double up = lossWith(model, a, m, weights, p, w, i, (float) (w[i] + eps));
                    double down = lossWith(model, a, m, weights, p, w, i, (float) (w[i] - eps));
                    double numeric = (up - down) / (2 * eps);
                    assertEquals(numeric, grad[i], 2e-3 + 0.03 * Math.abs(numeric), name + "[" + i + "]: analytic " + grad[i] + ", numeric " + numeric);
                }
                assertTrue(grad[largest(grad, 1)[0]] != 0, name + " got no gradient");
            }
            a.parameters().values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    static NDArray loss(BertModel model, FactualAdapter a, NDManager s, float[] weights) {
        BertOutput out = model.forward(s, INPUT, false);
        NDArray states = a.forward(out.lastHidden(), out, INPUT, false); // (B, T, 2H)
        return states.mul(Tensors.copyOf(s, weights, new Shape(2, 6, 64))).sum(); // ()
    }

    static double lossWith(BertModel model, FactualAdapter a, NDManager m, float[] weights, NDArray p, float[] w, int i, float value) {
        float[] changed = w.clone();
        changed[i] = value;
        p.set(changed);
        try (NDManager s = m.newSubManager()) {
            return loss(model, a, s, weights).getFloat();
        } finally {
            p.set(w);
        }
    }

    static int[] largest(float[] g, int n) {
        return java.util.stream.IntStream.range(0, g.length).boxed()
                .sorted((x, y) -> Float.compare(Math.abs(g[y]), Math.abs(g[x]))).limit(n).mapToInt(i -> i).toArray();
    }
}
