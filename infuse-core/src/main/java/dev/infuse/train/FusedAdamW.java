package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * AdamW's update of one parameter as a single pass over its memory, in Java, on the engine's own buffers.
 *
 * <p>Written with the engine's ops, an update reads and writes every weight-sized tensor about fifteen
 * times (each multiply, add, square root and division is a pass, three of them into fresh temporaries), and
 * applying the clipping factor is one more. For BERT-base that is gigabytes a step, bound by memory
 * bandwidth. Here each element is read once (the gradient, scaled by the clipping factor on the way, both
 * moments and the weight) and written once (the moments and the weight). Every operation is the same float operation in the same order as the op-by-op
 * version (Java does not fuse multiply-adds), so the moments come out bit for bit; the weights do too except
 * where torch's vectorised square root is not correctly rounded and Java's is, about one weight in 10^5, one
 * unit in the last place apart (FusedAdamWTest).
 *
 * <p>The buffers are views of the tensors' storage ({@code toByteBuffer(true)} on a contiguous CPU tensor
 * hands out the native memory without a copy); they are used only while the tensors are alive.
 */
final class FusedAdamW implements AutoCloseable {
    /** Elements per task: large enough to amortise scheduling, small enough to balance two threads. */
    private static final int CHUNK = 1 << 18;

    /** The step's scalars, shared by every parameter with the same learning rate. */
    record Scalars(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float invSqrtBias2, float eps, float stepSize,
            float decay, float gradScale) {}

    private final ExecutorService pool;
    private final List<Future<?>> pending = new ArrayList<>();

    FusedAdamW(int threads) {
        pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "infuse-adamw");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues the update of one parameter and returns true, or returns false (queuing nothing) when a
     * tensor's storage cannot be shared: {@link #await} waits for all queued updates.
     */
    boolean submit(NDArray p, NDArray g, NDArray m, NDArray v, Scalars s) {
        return submit(p, g, m, v, s, 0, Math.toIntExact(p.size()));
    }

    /**
     * The same for the elements {@code [begin, end)} only: a parameter whose rows train at different rates is submitted once
     * per range, and elements outside every submitted range are left alone, weight and moments.
     */
    boolean submit(NDArray p, NDArray g, NDArray m, NDArray v, Scalars s, int begin, int end) {
        int n = Math.toIntExact(p.size());
        FloatBuffer pb = view(p, n);
        FloatBuffer gb = view(g, n);
        FloatBuffer mb = view(m, n);
        FloatBuffer vb = view(v, n);
        if (pb == null || gb == null || mb == null || vb == null) {
            return false;
        }
        for (int from = begin; from < end; from += CHUNK) {
            int lo = from;
            int hi = Math.min(end, from + CHUNK);
            pending.add(pool.submit(() -> update(pb, gb, mb, vb, lo, hi, s)));
        }
        return true;
    }

    void await() {
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the optimizer step", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("optimizer step failed: " + e.getCause(), e.getCause());
        } finally {
            pending.clear();
        }
    }

    /**
     * The tensor's own storage as a float buffer, or null. DJL hands out the storage itself only for a
     * contiguous tensor and silently gives a copy otherwise, where writes would be lost; two views that see
     * each other's writes prove it is the storage.
     */
    private static FloatBuffer view(NDArray a, int n) {
        if (!(a instanceof PtNDArray t) || a.getDataType() != DataType.FLOAT32 || a.size() != n || n == 0) {
            return null;
        }
        FloatBuffer first = floats(t);
        FloatBuffer second = floats(t);
        if (first == null || second == null || first.capacity() != n) {
            return null;
        }
        float kept = first.get(0);
        float probe = Float.intBitsToFloat(Float.floatToRawIntBits(kept) ^ 1);
        first.put(0, probe);
        boolean shared = Float.floatToRawIntBits(second.get(0)) == Float.floatToRawIntBits(probe);
        first.put(0, kept);
        return shared ? first : null;
    }

    private static FloatBuffer floats(PtNDArray t) {
        java.nio.ByteBuffer b = t.toByteBuffer(true);
        return b.isDirect() ? b.order(ByteOrder.nativeOrder()).asFloatBuffer() : null;
    }

    /** Elements [lo, hi): the op-by-op update's operations, element by element. */
    static void update(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, int lo, int hi, Scalars s) {
        for (int i = lo; i < hi; i++) {
            float gi = g.get(i) * s.gradScale(); // clipping
            float vi = v.get(i) * s.beta2() + gi * gi * s.oneMinusBeta2(); // v = b2 v + (1 - b2) g^2
            float mi = m.get(i) * s.beta1() + gi * s.oneMinusBeta1(); // m = b1 m + (1 - b1) g
            float denom = (float) Math.sqrt(vi) * s.invSqrtBias2() + s.eps();
            // p = p * (1 - lr wd) + (-lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
            p.put(i, p.get(i) * s.decay() + mi / denom * s.stepSize());
            m.put(i, mi);
            v.put(i, vi);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
