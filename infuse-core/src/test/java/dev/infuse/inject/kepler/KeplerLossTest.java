package dev.infuse.inject.kepler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import org.junit.jupiter.api.Test;

/** KEPLER's loss against numbers worked out by hand. */
class KeplerLossTest {
    static double logSigmoid(double x) {
        return -Math.log1p(Math.exp(-x));
    }

    @Test
    void oneTripleWithItsTwoCorruptionsGivesTheHandComputedLoss() {
        try (NDManager s = Engines.newManager()) {
            // h + r - t = (0, 0): d+ = 4 - 0 = 4. Corrupted head (3, 4): ||(3,4) + r - t|| = 5, d = -1.
            // Corrupted tail (0, 2): ||h + r - (0, 2)|| = ||(1, 0) + (0, 1) - (0, 2)|| = ||(1, -1)|| = sqrt 2, d = 4 - sqrt 2.
            NDArray h = Tensors.copyOf(s, new float[] {1, 0}, new Shape(1, 2));
            NDArray r = Tensors.copyOf(s, new float[] {0, 1}, new Shape(1, 2));
            NDArray t = Tensors.copyOf(s, new float[] {1, 1}, new Shape(1, 2));
            NDArray negH = Tensors.copyOf(s, new float[] {4, 4}, new Shape(1, 2)); // (4,4)+(0,1)-(1,1) = (3,4)
            NDArray negT = Tensors.copyOf(s, new float[] {0, 2}, new Shape(1, 2));
            float got = KeplerLoss.loss(s, h, r, t, negH, negT, 4f).getFloat();
            double dPos = 4;
            double[] dNeg = {4 - 5, 4 - Math.sqrt(2)};
            double expected = -(logSigmoid(dPos) + (logSigmoid(-dNeg[0]) + logSigmoid(-dNeg[1])) / 2) / 2;
            assertEquals(expected, got, 1e-6);
            assertEquals(0.5 * (0.018149927 + (0.31326169 + 2.6584204) / 2), got, 1e-6, "the same sum, written out");
        }
    }

    @Test
    void meansRunOverTriplesAndOverBothCorruptionsSeparately() {
        try (NDManager s = Engines.newManager()) {
            // two triples, every vector zero but the tails: ||h + r - t|| = ||t||; negatives' distances 0 and ||t||
            NDArray zero = s.zeros(new Shape(2, 3));
            NDArray t = Tensors.copyOf(s, new float[] {3, 0, 0, 0, 6, 0}, new Shape(2, 3)); // norms 3 and 6
            float got = KeplerLoss.loss(s, zero, zero, t, zero, zero, 4f).getFloat();
            // positives d = 1, -2; negatives: corrupted heads keep t (d = 1, -2), corrupted tails are zero (d = 4, 4)
            double pos = (logSigmoid(1) + logSigmoid(-2)) / 2;
            double neg = (logSigmoid(-1) + logSigmoid(2) + logSigmoid(-4) + logSigmoid(-4)) / 4;
            assertEquals(-(pos + neg) / 2, got, 1e-6);
        }
    }

    @Test
    void theGradientSurvivesAGarbageCollectionBetweenForwardAndBackward() {
        try (NDManager s = Engines.newManager()) {
            NDArray r = Tensors.copyOf(s, new float[] {0, 1}, new Shape(1, 2));
            r.setRequiresGradient(true);
            NDArray h = Tensors.copyOf(s, new float[] {1, 0}, new Shape(1, 2));
            NDArray t = Tensors.copyOf(s, new float[] {1, 3}, new Shape(1, 2)); // h + r - t = (0, -2): norm 2, d+ = 2
            NDArray far = Tensors.copyOf(s, new float[] {100, 100}, new Shape(1, 2));
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray l = KeplerLoss.loss(s, h, r, t, far, far.neg(), 4f);
                System.gc();
                for (int i = 0; i < 64; i++) {
                    java.nio.ByteBuffer.allocateDirect(64).putFloat(0, 1e9f);
                }
                gc.backward(l);
            }
            // dL/dr from the positive term: -(1/2) (1 - sigma(d+)) * d(d+)/dr, d(d+)/dr = -(h + r - t)/||.|| = (0, 1);
            // the far negatives' sigma(d-) is ~0, so they add nothing measurable
            double sig = 1 / (1 + Math.exp(-2));
            float[] g = r.getGradient().toFloatArray();
            assertArrayEquals(new float[] {0f, (float) (-0.5 * (1 - sig))}, g, 1e-5f);
        }
    }
}
