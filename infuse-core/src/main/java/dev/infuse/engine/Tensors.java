package dev.infuse.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;

/**
 * The few tensor helpers that hide DJL's sharp edges (see docs/DJL.md).
 *
 * <ul>
 *   <li>DJL's {@code Number} overloads ({@code mul(3f)}, {@code add(1)}, ...) wrap the scalar in a direct
 *       buffer that is freed at once while autograd still points at it. Model and training code scale
 *       with {@link #scale} and build constants with {@link #scalar}, which create real 0-d arrays.
 *   <li>Arrays created from Java memory wrap that memory instead of copying it, so a view of one dies
 *       with its source and an in-place op on a mapped file crashes the JVM. Every factory here copies
 *       into engine-owned memory before returning.
 * </ul>
 */
public final class Tensors {
    private Tensors() {}

    /** A 0-d float32 array holding {@code value}, owned by {@code manager}. */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /** {@code x * s} without DJL's use-after-free scalar overload; the result belongs to x's manager. */
    public static NDArray scale(NDArray x, float s) {
        try (NDArray c = scalar(x.getManager(), s)) {
            return x.mul(c);
        }
    }

    /** Overwrites {@code target} in place with a copy of {@code value}; shapes must match. */
    public static void assign(NDArray target, HostTensor value) {
        if (!target.getShape().equals(new Shape(value.shape()))) {
            throw new IllegalArgumentException("cannot assign a " + new Shape(value.shape()) + " tensor to " + target.getShape());
        }
        try (NDManager scratch = target.getManager().newSubManager(); NDArray copy = fromHost(scratch, value)) {
            target.set(new ai.djl.ndarray.index.NDIndex("..."), copy);
        }
    }

    /**
     * Drops the gradient of a parameter, as torch's {@code zero_grad(set_to_none=True)}: the next backward
     * pass then creates a fresh gradient instead of adding into a zeroed one. DJL has no call for it; the
     * array takes over a detached view of its own storage (same values, no gradient) and keeps recording.
     * Between steps the gradients then take no memory, so the next forward pass does not hold activations
     * and last step's gradients at once.
     */
    public static void releaseGradient(NDArray p) {
        boolean records = p.hasGradient();
        ai.djl.pytorch.engine.PtNDArray t = (ai.djl.pytorch.engine.PtNDArray) p;
        t.intern(t.stopGradient());
        if (records) {
            t.setRequiresGradient(true);
        }
    }

    /**
     * Turns autograd recording off for the calling thread. DJL turns it off only on the thread that started
     * the engine; inference and optimizer updates on any other thread must call this first.
     */
    public static void noGrad() {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** Copies a host tensor into engine memory owned by {@code manager}. */
    public static NDArray fromHost(NDManager manager, HostTensor t) {
        return copyOf(manager, t.data(), new Shape(t.shape()));
    }

    public static NDArray copyOf(NDManager manager, FloatBuffer data, Shape shape) {
        try (NDArray wrapped = manager.create(data.duplicate(), shape, DataType.FLOAT32)) {
            return wrapped.duplicate();
        }
    }

    public static NDArray copyOf(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    public static NDArray copyOf(NDManager manager, long[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    public static NDArray copyOf(NDManager manager, boolean[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
