package dev.infuse.inject.sensebert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SenseBERT's loss against the formula computed by hand in doubles. */
class SenseBertLossTest {
    static final float[][] LOGITS = {{2.0f, -1.0f, 0.5f, 0.0f}, {0.3f, 1.7f, -0.4f, 0.9f}};

    /** −log Σ_{s∈A} p(s) − (1/|A|) Σ_{s∈A} log p(s) for one word. */
    static double byHand(float[] logits, int[] allowed) {
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l);
        }
        double any = 0;
        double meanLog = 0;
        for (int k : allowed) {
            any += Math.exp(logits[k]) / z;
            meanLog += Math.log(Math.exp(logits[k]) / z);
        }
        return -Math.log(any) - meanLog / allowed.length;
    }

    double loss(List<int[]> allowed) {
        try (NDManager m = Engines.newManager()) {
            float[] flat = new float[allowed.size() * 4];
            for (int i = 0; i < allowed.size(); i++) {
                System.arraycopy(LOGITS[i], 0, flat, i * 4, 4);
            }
            NDArray logits = Tensors.copyOf(m, flat, new Shape(allowed.size(), 4));
            return SenseBertObjective.loss(logits, SenseBertObjective.mask(allowed, 4), allowed.size(), 4).getFloat();
        }
    }

    @Test
    void aWordWithOneAllowedSenseIsTwiceItsCrossEntropy() {
        int[] one = {0};
        double expected = byHand(LOGITS[0], one);
        double p0 = Math.exp(2.0) / (Math.exp(2.0) + Math.exp(-1.0) + Math.exp(0.5) + Math.exp(0.0));
        assertEquals(-2 * Math.log(p0), expected, 1e-12, "both terms are −log p(s) when A(w) = {s}");
        assertEquals(expected, loss(List.of(one)), 1e-5);
    }

    @Test
    void aWordWithThreeAllowedSensesAndTheMeanOverWords() {
        int[] three = {1, 2, 3};
        assertEquals(byHand(LOGITS[1], three), loss(List.of(new int[] {1}, three)) * 2 - byHand(LOGITS[0], new int[] {1}), 1e-5);
        assertEquals((byHand(LOGITS[0], new int[] {0}) + byHand(LOGITS[1], three)) / 2, loss(List.of(new int[] {0}, three)), 1e-5);
    }
}
