package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;
import java.util.Random;

/** A tiny random model, a fixed batch through it, and random tensors for adapter tests. */
final class AdapterFixtures {
    static final BertConfig TINY = BertConfig.tiny(40);

    private AdapterFixtures() {}

    static BertModel model() {
        return BertModel.random(TINY, 1);
    }

    /** The last hidden states (B, T, H) of two rows, one padded, in evaluation mode. */
    static float[] hidden(BertModel m) {
        BertInput in = BertInput.builder().setInputIds(new long[][] {{2, 7, 9, 11, 3}, {2, 12, 13, 3, 0}})
                .optPaddingMask(new int[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}}).build();
        try (NDManager s = m.parameter(m.parameters().keySet().iterator().next()).getManager().newSubManager()) {
            return m.forward(s, in, false).lastHidden().toFloatArray();
        }
    }

    static float[] random(int n, long seed, double std) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    /** Overwrites {@code a} with N(0, std) values. */
    static void randomize(NDArray a, long seed, double std) {
        long[] shape = a.getShape().getShape();
        Tensors.assign(a, new HostTensor(shape, FloatBuffer.wrap(random(Math.toIntExact(a.getShape().size()), seed, std))));
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
