package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass update in Java computes what the engine's op-by-op update computes: moments bit for bit, weights to the last place. */
class FusedAdamWTest {
    static final int N = 600_000; // more than two chunks, and a ragged last one

    @Test
    void theFusedPassEqualsTheOpByOpUpdate() {
        Random rng = new Random(5);
        float[] p = gaussian(rng, 1f);
        float[] g = gaussian(rng, 1e-3f);
        float[] m = gaussian(rng, 1e-4f);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = Math.abs(rng.nextFloat()) * 1e-6f;
        }
        FusedAdamW.Scalars sc = new FusedAdamW.Scalars(0.9f, 1 - 0.9f, 0.999f, 1 - 0.999f, (float) (1 / Math.sqrt(1 - Math.pow(0.999, 3))),
                1e-8f, (float) (-5e-5 / (1 - Math.pow(0.9, 3))), 1 - 5e-5f * 0.01f, 0.37f);
        try (NDManager mgr = Engines.newManager(); FusedAdamW fused = new FusedAdamW(2)) {
            NDArray[] a = arrays(mgr, p, g, m, v);
            NDArray[] b = arrays(mgr, p, g, m, v);
            assertTrue(fused.submit(a[0], a[1], a[2], a[3], sc), "contiguous tensors share their storage");
            fused.await();
            AdamW.byOps(mgr, b[0], b[1], b[2], b[3], sc);
            String[] names = {"weight", "gradient", "first moment", "second moment"};
            for (int k = 2; k < 4; k++) { // the gradient is read, not kept: the optimizer drops it after the step
                assertArrayEquals(b[k].toFloatArray(), a[k].toFloatArray(), 0f, names[k]);
            }
            // The weight goes through a square root, and torch's vectorised one is not always correctly rounded
            // (Java's is): a rare weight lands one unit in the last place away, never more.
            float[] ops = b[0].toFloatArray();
            float[] one = a[0].toFloatArray();
            int off = 0;
            for (int i = 0; i < N; i++) {
                if (ops[i] != one[i]) {
                    off++;
                    assertTrue(Math.abs(ops[i] - one[i]) <= Math.ulp(ops[i]), "weight " + i + ": " + ops[i] + " against " + one[i]);
                }
            }
            assertTrue(off <= N / 10_000, off + " of " + N + " weights differ by one ulp");
            float[] moved = a[0].toFloatArray();
            assertTrue(moved[0] != p[0] && moved[N - 1] != p[N - 1], "the first and the last chunk were updated");
        }
    }

    private static NDArray[] arrays(NDManager mgr, float[]... values) {
        NDArray[] out = new NDArray[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = Tensors.copyOf(mgr, values[k], new Shape(N));
        }
        return out;
    }

    private static float[] gaussian(Random rng, float scale) {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) rng.nextGaussian() * scale;
        }
        return x;
    }
}
