package dev.infuse.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Run in a child JVM by {@link AlignedReuseTest}, with and without the launcher's allocator library
 * preloaded: a few training-like steps on tensors large enough (a megabyte) to take the library's aligned
 * path, printing the loss and gradient norm of each step. Both runs must print the same lines.
 */
public final class PreloadCheck {
    private PreloadCheck() {}

    public static void main(String[] args) {
        Engines.setThreads(1);
        Engine engine = Engines.get();
        engine.setRandomSeed(7);
        try (NDManager m = Engines.newManager()) {
            NDArray w = m.randomNormal(new Shape(256, 1024));
            NDArray v = m.randomNormal(new Shape(1024, 256));
            w.setRequiresGradient(true);
            v.setRequiresGradient(true);
            for (int step = 0; step < 20; step++) {
                try (NDManager s = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                    NDArray x = s.randomNormal(new Shape(512, 256));
                    NDArray h = x.matMul(w).getNDArrayInternal().gelu();
                    NDArray loss = h.matMul(v).square().mean();
                    gc.backward(loss);
                    try (NDArray gw = w.getGradient(); NDArray gv = v.getGradient(); NDArray nw = gw.norm(); NDArray nv = gv.norm()) {
                        System.out.printf("step %d loss %.6e grads %.6e %.6e%n", step, loss.getFloat(), nw.getFloat(), nv.getFloat());
                    }
                }
            }
        }
    }
}
