package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.mask.MaskedExample;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer's loss gives the gradients central finite differences measure, in float32 on a tiny model. */
class GradientCheckTest {
    static final List<String> CHECKED = List.of(
            "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
            "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.intermediate.dense.bias",
            "bert.encoder.layer.1.output.LayerNorm.weight", "cls.predictions.transform.dense.weight", "cls.predictions.bias");

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        TinyRun.oneThread();
        // tiny(40) with dropout off and a larger init than BERT's 0.02, so gradients stand above float32 rounding.
        BertConfig c = new BertConfig("bert", 40, 32, 2, 4, 64, "gelu", 0f, 0f, 64, 2, 1e-12f, 0, 0.2f);
        MlmBatch batch = MlmBatch.of(List.of(
                new MaskedExample(new int[] {2, 7, 4, 9, 11, 3}, new int[] {-100, -100, 8, -100, -100, -100}),
                new MaskedExample(new int[] {2, 13, 14, 4, 3}, new int[] {-100, 20, -100, 15, -100})), 0);
        try (BertModel model = BertModel.random(c, 5); NDManager m = Engines.newManager()) {
            model.parameters().values().forEach(p -> p.setRequiresGradient(true));
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray loss = Trainer.mlmLoss(model, s, batch, false);
                System.gc(); // the scalar use-after-free (djl.md) shows up only if a GC runs before backward
                gc.backward(loss);
            }
            Tensors.noGrad();
            for (String name : CHECKED) {
                NDArray p = model.parameter(name);
                float[] grad;
                try (NDArray g = p.getGradient()) {
                    grad = g.toFloatArray();
                }
                float[] w = p.toFloatArray();
                for (int k : largest(grad, 3)) {
                    double eps = 1e-2;
                    double up = lossWith(model, m, batch, p, w, k, (float) (w[k] + eps));
                    double down = lossWith(model, m, batch, p, w, k, (float) (w[k] - eps));
                    double numeric = (up - down) / (2 * eps);
                    double tol = 2e-3 + 0.03 * Math.abs(numeric);
                    assertEquals(numeric, grad[k], tol, name + "[" + k + "]: analytic " + grad[k] + ", numeric " + numeric);
                }
                assertTrue(grad[largest(grad, 1)[0]] != 0, name + " got no gradient");
            }
            model.parameters().values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    static double lossWith(BertModel model, NDManager m, MlmBatch batch, NDArray p, float[] w, int k, float value) {
        float[] changed = w.clone();
        changed[k] = value;
        p.set(changed);
        try (NDManager s = m.newSubManager()) {
            return Trainer.mlmLoss(model, s, batch, false).getFloat();
        } finally {
            p.set(w);
        }
    }

    /** Indices of the n entries with the largest magnitude: checking tiny gradients would only test rounding. */
    static int[] largest(float[] g, int n) {
        return java.util.stream.IntStream.range(0, g.length).boxed()
                .sorted((a, b) -> Float.compare(Math.abs(g[b]), Math.abs(g[a]))).limit(n).mapToInt(i -> i).toArray();
    }

    @Test
    void globalNormClippingScalesAllGradientsByOneFactor() {
        TinyRun.oneThread();
        try (NDManager m = Engines.newManager()) {
            NDArray a = Tensors.copyOf(m, new float[] {3f, 0f}, new Shape(2));
            NDArray b = Tensors.copyOf(m, new float[] {4f}, new Shape(1));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                // loss = (a.a + b.b) / 2, so the gradients are a and b themselves: global norm 5
                NDArray loss = Tensors.scale(a.mul(a).sum().add(b.mul(b).sum()), 0.5f);
                gc.backward(loss);
            }
            assertEquals(5.0, GradClip.clipGlobalNorm(List.of(a, b), 1f, m), 1e-6);
            try (NDArray ga = a.getGradient(); NDArray gb = b.getGradient()) {
                assertEquals(0.6f, ga.toFloatArray()[0], 1e-5);
                assertEquals(0.8f, gb.toFloatArray()[0], 1e-5);
            }
            assertEquals(1.0, GradClip.clipGlobalNorm(List.of(a, b), 2f, m), 1e-5, "under the limit nothing changes");
        }
    }
}
