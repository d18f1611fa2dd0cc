package dev.infuse.model.io;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 tensor in Java memory (heap, direct, or a view of a memory-mapped file), row-major.
 *
 * <p>Checkpoint readers produce these; the model copies them into engine memory once. The buffer's
 * position is 0 and its remaining length equals the product of the shape.
 */
public record HostTensor(long[] shape, FloatBuffer data) {
    public HostTensor {
        long n = numel(shape);
        if (data.remaining() != n) {
            throw new IllegalArgumentException(
                    "tensor of shape " + Arrays.toString(shape) + " needs " + n + " floats, buffer has " + data.remaining());
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
