package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The off-policy learner's memory: the newest {@code capacity} experiences, sampled in proportion to
 * {@code exp(|r − V|)}, so what the critic mispredicts most is replayed most (prioritised replay).
 */
public final class ReplayMemory {
    private final int capacity;
    private final List<Experience> entries = new ArrayList<>();

    public ReplayMemory(int capacity) {
        if (capacity < 1) {
            throw new InfuseException("replay capacity must be at least 1, found " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds one; the oldest goes when the memory is full. */
    public void add(Experience e) {
        if (entries.size() == capacity) {
            entries.remove(0);
        }
        entries.add(e);
    }

    public int size() {
        return entries.size();
    }

    public List<Experience> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** P(i) = exp(|r_i − V_i|) / Σ_j exp(|r_j − V_j|); |r − V| is at most a few units, so exp cannot overflow. */
    public double[] probabilities(double[] values) {
        if (values.length != entries.size()) {
            throw new IllegalArgumentException(values.length + " values for " + entries.size() + " experiences");
        }
        double[] p = new double[values.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(Math.abs(entries.get(i).reward() - values[i]));
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /** {@code n} indices drawn with replacement by {@link #probabilities}. */
    public int[] sample(int n, double[] values, Random rng) {
        double[] p = probabilities(values);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            double u = rng.nextDouble();
            int i = 0;
            double cum = p[0];
            while (u >= cum && i < p.length - 1) {
                cum += p[++i];
            }
            out[k] = i;
        }
        return out;
    }

    /** Every experience as tensors by name ({@code e<i>.state}, ...), for a checkpoint. */
    public Map<String, HostTensor> export() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Experience e = entries.get(i);
            String k = "e" + i + ".";
            out.put(k + "state", host(e.state(), e.length(), e.hidden()));
            float[] m = new float[e.length()];
            for (int t = 0; t < m.length; t++) {
                m[t] = e.maskable()[t] ? 1f : 0f;
            }
            out.put(k + "maskable", host(m, m.length));
            float[] pos = new float[e.positions().length]; // exact: positions are far below 2^24
            for (int j = 0; j < pos.length; j++) {
                pos[j] = e.positions()[j];
            }
            out.put(k + "positions", host(pos, pos.length));
            out.put(k + "old_log_probs", host(e.oldLogProbs().clone(), pos.length));
            out.put(k + "reward", host(new float[] {e.reward()}, 1));
        }
        return out;
    }

    /** The memory {@link #export} wrote, in the same order. */
    public static ReplayMemory restore(int capacity, Map<String, HostTensor> saved) {
        ReplayMemory m = new ReplayMemory(capacity);
        for (int i = 0; saved.containsKey("e" + i + ".state"); i++) {
            String k = "e" + i + ".";
            HostTensor st = saved.get(k + "state");
            float[] mask = floats(saved.get(k + "maskable"));
            boolean[] maskable = new boolean[mask.length];
            for (int t = 0; t < mask.length; t++) {
                maskable[t] = mask[t] > 0;
            }
            float[] pos = floats(saved.get(k + "positions"));
            int[] positions = new int[pos.length];
            for (int j = 0; j < pos.length; j++) {
                positions[j] = (int) pos[j];
            }
            m.add(new Experience(floats(st), (int) st.shape()[1], maskable, positions, floats(saved.get(k + "old_log_probs")),
                    floats(saved.get(k + "reward"))[0]));
        }
        return m;
    }

    private static HostTensor host(float[] v, long... shape) {
        return new HostTensor(shape, FloatBuffer.wrap(v));
    }

    private static float[] floats(HostTensor t) {
        FloatBuffer b = t.data().duplicate();
        b.rewind();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }
}
