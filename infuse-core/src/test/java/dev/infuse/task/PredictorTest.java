package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PredictorTest {
    @Test
    void argMaxTakesTheFirstLargestAndNeverANaN() {
        assertEquals(1, Predictor.argMax(new float[] {0f, 2f, 2f, 1f}));
        assertEquals(2, Predictor.argMax(new float[] {Float.NaN, 1f, 3f, Float.NaN}));
        assertEquals(0, Predictor.argMax(new float[] {Float.NaN, Float.NaN}));
        assertEquals(0.5f, Predictor.probability(new float[] {1f, 1f}, 0), 1e-7);
    }
}
