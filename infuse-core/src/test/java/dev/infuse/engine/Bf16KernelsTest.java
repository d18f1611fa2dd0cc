package dev.infuse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript bf16 kernels against DJL's fp32 ops, on any x86 CPU (without bf16 instructions libtorch
 * still computes bf16, only slowly). bf16 keeps 8 bits of mantissa, so products agree to about 0.5%.
 */
class Bf16KernelsTest {
    static double relErr(NDArray got, NDArray ref) {
        return got.sub(ref).norm().getFloat() / ref.norm().getFloat();
    }

    @Test
    void linearAndMatmulGiveFloat32CloseToFp32() {
        try (NDManager m = Engines.newManager()) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 5, 48)); // (B, T, in)
            NDArray w = m.randomNormal(new Shape(24, 48)); // (out, in)
            NDArray b = m.randomNormal(new Shape(24));
            NDArray y = Bf16Kernels.get().linear(x, w, b); // (B, T, out)
            assertEquals(DataType.FLOAT32, y.getDataType());
            assertArrayEquals(new long[] {2, 5, 24}, y.getShape().getShape());
            double e = relErr(y, Linear.linear(x, w, b).singletonOrThrow());
            assertTrue(e > 0 && e < 1e-2, "relative error " + e + " (0 would mean the product ran in fp32)");
            assertTrue(relErr(Bf16Kernels.get().linear(x, w, null), Linear.linear(x, w, null).singletonOrThrow()) < 1e-2);

            NDArray q = m.randomNormal(new Shape(2, 3, 5, 8)); // (B, nh, T, hs)
            NDArray k = m.randomNormal(new Shape(2, 3, 8, 5)); // (B, nh, hs, T)
            NDArray s = Bf16Kernels.get().matmul(q, k); // (B, nh, T, T)
            assertArrayEquals(new long[] {2, 3, 5, 5}, s.getShape().getShape());
            assertTrue(relErr(s, q.matMul(k)) < 1e-2);
            assertEquals(m, s.getManager(), "the result belongs to the first operand's manager");
        }
    }

    @Test
    void gradientsFlowThroughTheKernelsAsFloat32() {
        try (NDManager m = Engines.newManager()) {
            m.getEngine().setRandomSeed(6);
            NDArray x = m.randomNormal(new Shape(6, 32));
            NDArray w = m.randomNormal(new Shape(16, 32));
            NDArray b = m.randomNormal(new Shape(16));
            float[][] fp32 = grads(x, w, b, false);
            float[][] bf16 = grads(x, w, b, true);
            for (int i = 0; i < 3; i++) {
                double err = rel(bf16[i], fp32[i]);
                assertTrue(err < 2e-2, "gradient " + i + " relative error " + err);
            }
        }
    }

    /** d(sum(y^2))/d{x, w, b} for y = x W^T + b, with a GC between forward and backward (docs/DJL.md). */
    static float[][] grads(NDArray x0, NDArray w0, NDArray b0, boolean bf16) {
        try (NDManager s = x0.getManager().newSubManager()) {
            NDArray x = x0.duplicate();
            NDArray w = w0.duplicate();
            NDArray b = b0.duplicate();
            x.attach(s);
            w.attach(s);
            b.attach(s);
            for (NDArray a : new NDArray[] {x, w, b}) {
                a.setRequiresGradient(true);
            }
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray y = bf16 ? Bf16Kernels.get().linear(x, w, b) : Linear.linear(x, w, b).singletonOrThrow();
                NDArray loss = y.mul(y).sum();
                System.gc();
                gc.backward(loss);
            }
            float[][] g = new float[3][];
            NDArray[] all = {x, w, b};
            for (int i = 0; i < 3; i++) {
                try (NDArray grad = all[i].getGradient()) {
                    assertEquals(DataType.FLOAT32, grad.getDataType());
                    g[i] = grad.toFloatArray();
                }
            }
            return g;
        }
    }

    static double rel(float[] a, float[] ref) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - ref[i]) * (double) (a[i] - ref[i]);
            n += ref[i] * (double) ref[i];
        }
        return Math.sqrt(d / n);
    }
}
