package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import org.junit.jupiter.api.Test;

/** The encoder's dropout: inverted scaling, its rate, its gradient, and its seed. */
class DropoutTest {
    private static final int N = 200_000;

    @Test
    void keepsOneMinusRateScaledAndPassesTheSameMaskBackward() {
        float rate = 0.1f;
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.randomUniform(1f, 2f, new Shape(N)); // no zeros of its own
            x.setRequiresGradient(true);
            float[] in = x.toFloatArray();
            float[] out;
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray y = BertModel.dropout(x, rate, true);
                out = y.toFloatArray();
                gc.backward(y.sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            int kept = 0;
            for (int i = 0; i < N; i++) {
                if (out[i] == 0f) {
                    assertEquals(0f, grad[i], "a dropped element gets no gradient");
                } else {
                    kept++;
                    assertEquals(in[i] / (1 - rate), out[i], 1e-6f * out[i], "a kept element is scaled by 1/(1-p)");
                    assertEquals(1 / (1 - rate), grad[i], 1e-6f, "a kept element's gradient is 1/(1-p)");
                }
            }
            // Binomial(N, 0.9): the standard deviation of the kept fraction is 0.00067; allow five of them.
            assertEquals(1 - rate, kept / (double) N, 0.0034);
        }
    }

    @Test
    void sameSeedSameMaskAndOffInEvaluation() {
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.ones(new Shape(1000));
            Engines.get().setRandomSeed(11);
            float[] first = BertModel.dropout(x, 0.5f, true).toFloatArray();
            Engines.get().setRandomSeed(11);
            float[] again = BertModel.dropout(x, 0.5f, true).toFloatArray();
            assertArrayEquals(first, again, 0f);
            assertSame(x, BertModel.dropout(x, 0.5f, false));
            assertSame(x, BertModel.dropout(x, 0f, true));
        }
    }
}
