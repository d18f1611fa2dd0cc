package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertOutput;
import dev.infuse.model.InputRow;
import dev.infuse.train.Losses;
import dev.infuse.train.TinyRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The head's pooling and gradients against numbers computed in Java, with a forced GC between forward and
 * backward: the use-after-free of DJL's scalar overloads (docs/DJL.md) would show up here.
 */
class TaskHeadTest {
    @BeforeAll
    static void engine() {
        TinyRun.oneThread();
    }

    @Test
    void spanMeanPoolingAndBiasGradientUnderGc() {
        for (Transfer t : List.of(Transfer.FULL, Transfer.MIX)) {
            try (TaskHead head = TaskHead.random(4, 1, 1, 3, t, 5); NDManager s = Engines.newManager()) {
                float[] states = {1, 2, 3, 4, 3, 2, 1, 0, 9, 9, 9, 9}; // (1, 3, 4)
                NDArray x = Tensors.copyOf(s, states, new Shape(1, 3, 4));
                BertOutput out = new BertOutput(x, List.of(x, x)); // mix over two identical states = the states
                Encoded e = new Encoded(new InputRow(new long[3], Map.of()), List.of(new Target(new int[][] {{0, 1}}, 0, 1)));
                head.parameters().values().forEach(p -> p.setRequiresGradient(true));
                float[] logits;
                float[] grad;
                try (GradientCollector gc = Engines.get().newGradientCollector()) {
                    NDArray z = head.logits(s, out, List.of(e), 3); // (1, 3)
                    logits = z.toFloatArray();
                    NDArray loss = Losses.crossEntropy(z, Tensors.copyOf(s, new long[] {1}, new Shape(1)));
                    System.gc();
                    java.nio.ByteBuffer.allocateDirect(1 << 20);
                    gc.backward(loss);
                }
                try (NDArray g = head.parameters().get(TaskHead.BIAS).getGradient()) {
                    grad = g.toFloatArray();
                }
                // Pooled = mean of rows 0 and 1 = (2, 2, 2, 2); logits = W pooled + 0.
                float[] w = head.parameters().get(TaskHead.WEIGHT).toFloatArray();
                double[] expected = new double[3];
                double norm = 0;
                for (int c = 0; c < 3; c++) {
                    double z = 0;
                    for (int h = 0; h < 4; h++) {
                        z += w[c * 4 + h] * 2.0;
                    }
                    assertEquals(z, logits[c], 1e-5, t + " logit " + c);
                    expected[c] = Math.exp(z);
                    norm += expected[c];
                }
                float[] want = new float[3];
                for (int c = 0; c < 3; c++) {
                    want[c] = (float) (expected[c] / norm - (c == 1 ? 1 : 0)); // softmax - one-hot
                }
                assertArrayEquals(want, grad, 1e-5f, t.toString());
                head.parameters().values().forEach(p -> p.setRequiresGradient(false));
            }
        }
    }
}
