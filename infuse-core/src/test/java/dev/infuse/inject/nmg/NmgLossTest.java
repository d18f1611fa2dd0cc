package dev.infuse.inject.nmg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NmgLossTest {
    @BeforeAll
    static void engine() {
        dev.infuse.train.TinyRun.oneThread();
    }

    static float ln(double x) {
        return (float) Math.log(x);
    }

    /**
     * Row 1: π = (0.5, 0.3, 0.2), V 0.4, r 1, tokens 0 and 2 credited with π_old 0.25 and 0.4.
     * Row 2: π = (0.1, 0.1, 0.8), V 0.2, r −1, token 1 credited with π_old 0.2.
     * value   = 0.25 · mean(0.6², 1.2²) = 0.25 · 0.9 = 0.225
     * policy  = mean(−mean(0.6·2, 0.6·0.5), −(−1.2·0.5)) = mean(−0.75, 0.6) = −0.075
     * entropy = mean(1.0296530, 0.6390319) = 0.8343425
     * total   = 0.225 − 0.075 − 0.01 · 0.8343425 = 0.1416566
     */
    @Test
    void theTermsMatchHandComputedValues() {
        try (NDManager s = Engines.newManager()) {
            NDArray lp = Tensors.copyOf(s, new float[] {ln(0.5), ln(0.3), ln(0.2), ln(0.1), ln(0.1), ln(0.8)}, new Shape(2, 3));
            NDArray v = Tensors.copyOf(s, new float[] {0.4f, 0.2f}, new Shape(2));
            lp.setRequiresGradient(true);
            v.setRequiresGradient(true);
            List<ActorCriticLoss.Row> rows = List.of(new ActorCriticLoss.Row(new int[] {0, 2}, new float[] {ln(0.25), ln(0.4)}, 1f),
                    new ActorCriticLoss.Row(new int[] {1}, new float[] {ln(0.2)}, -1f));
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                ActorCriticLoss.Terms t = ActorCriticLoss.of(s, lp, v, rows);
                assertEquals(0.225, t.value().getFloat(), 1e-6);
                assertEquals(-0.075, t.policy().getFloat(), 1e-6);
                assertEquals(0.8343425, t.entropy().getFloat(), 1e-6);
                assertEquals(0.1416566, t.total().getFloat(), 1e-6);
                System.gc(); // a scalar freed under autograd would now corrupt the gradient (docs/DJL.md)
                gc.backward(t.total());
            }
            // dV: only the critic's own term, 0.25 · 2 (V − r) / B; the advantage in the policy term is a constant.
            assertArrayEquals(new float[] {-0.15f, 0.3f}, v.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
