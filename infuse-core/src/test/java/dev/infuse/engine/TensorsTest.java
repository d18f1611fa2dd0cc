package dev.infuse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorsTest {

    /**
     * DJL's mul(Number) frees the scalar's buffer while autograd still reads it; after a GC the gradient
     * comes out as garbage. Tensors.scale builds a real 0-d array, so the gradient must be exact.
     */
    @Test
    void scaleSurvivesGarbageCollectionBetweenForwardAndBackward() {
        try (NDManager m = Engines.newManager()) {
            for (int round = 0; round < 20; round++) {
                NDArray w = Tensors.copyOf(m, new float[] {1f, 2f, 3f, 4f}, new Shape(4));
                w.setRequiresGradient(true);
                try (GradientCollector gc = Engines.get().newGradientCollector()) {
                    NDArray y = Tensors.scale(w, 3f);
                    churnNativeMemory();
                    gc.backward(y.sum());
                }
                try (NDArray g = w.getGradient()) {
                    assertEquals(List.of(3f, 3f, 3f, 3f), boxed(g.toFloatArray()), "round " + round);
                }
            }
        }
    }

    @Test
    void arraysFromJavaDataOwnTheirMemory() {
        try (NDManager m = Engines.newManager()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(16).order(java.nio.ByteOrder.nativeOrder());
            direct.asFloatBuffer().put(new float[] {1f, 2f, 3f, 4f});
            NDArray a = Tensors.copyOf(m, direct.asFloatBuffer(), new Shape(2, 2));
            direct.asFloatBuffer().put(new float[] {9f, 9f, 9f, 9f});
            NDArray view = a.reshape(4);
            churnNativeMemory();
            assertEquals(List.of(1f, 2f, 3f, 4f), boxed(view.toFloatArray()));
        }
    }

    static void churnNativeMemory() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            for (int j = 0; j < 4096; j += 4) {
                b.putFloat(j, 1.4e-45f * j);
            }
            junk.add(b);
        }
        System.gc();
        junk.clear();
    }

    static List<Float> boxed(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float f : a) {
            out.add(f);
        }
        return out;
    }
}
