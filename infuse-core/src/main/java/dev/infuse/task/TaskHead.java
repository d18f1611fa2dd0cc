package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertOutput;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.ParameterOwner;
import dev.infuse.model.io.HostTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The task head: mean-pools each target's position groups, concatenates them and applies one linear
 * layer. Names follow Hugging Face ({@code classifier.weight}, {@code classifier.bias}); the scalar mix,
 * when used, adds {@code scalar_mix.weights} (L + 1) and {@code scalar_mix.gamma} (1).
 *
 * <p>Pooling is a matrix product with a (N, B*T) averaging matrix built in Java: one op covers first
 * pieces (NER), spans (typing), markers (relation) and [CLS], and its gradient is the plain average.
 */
public final class TaskHead implements ParameterOwner, AutoCloseable {
    public static final String WEIGHT = "classifier.weight";
    public static final String BIAS = "classifier.bias";
    public static final String MIX_WEIGHTS = "scalar_mix.weights";
    public static final String MIX_GAMMA = "scalar_mix.gamma";

    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Transfer transfer;
    private final int groups;

    private TaskHead(NDManager manager, Map<String, NDArray> params, Transfer transfer, int groups) {
        this.manager = manager;
        this.params = params;
        this.transfer = transfer;
        this.groups = groups;
    }

    /** A fresh head: normal(0, 0.02) weights as BERT initialises its classifiers, a uniform mix. */
    public static TaskHead random(int hidden, int layers, int groups, int classes, Transfer transfer, long seed) {
        Random rng = new Random(seed);
        float[] w = new float[classes * groups * hidden];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.02);
        }
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put(WEIGHT, host(w, classes, groups * hidden));
        t.put(BIAS, host(new float[classes], classes));
        if (transfer == Transfer.MIX) {
            t.put(MIX_WEIGHTS, host(new float[layers + 1], layers + 1));
            t.put(MIX_GAMMA, host(new float[] {1f}, 1));
        }
        return load(t, transfer, groups);
    }

    public static TaskHead load(Map<String, HostTensor> tensors, Transfer transfer, int groups) {
        NDManager m = Engines.newManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        List<String> needed = new ArrayList<>(List.of(WEIGHT, BIAS));
        if (transfer == Transfer.MIX) {
            needed.addAll(List.of(MIX_WEIGHTS, MIX_GAMMA));
        }
        for (String n : needed) {
            if (!tensors.containsKey(n)) {
                m.close();
                throw new InfuseException("the task head lacks " + n + " (transfer " + transfer.flag() + ")");
            }
            NDArray a = Tensors.fromHost(m, tensors.get(n));
            a.setName(n);
            params.put(n, a);
        }
        return new TaskHead(m, params, transfer, groups);
    }

    private static HostTensor host(float[] v, long... shape) {
        return new HostTensor(shape, java.nio.FloatBuffer.wrap(v));
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The classifier's weight decays; its bias and the mixing weights do not. */
    @Override
    public boolean decays(String name) {
        return name.equals(WEIGHT);
    }

    public Map<String, HostTensor> export() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        params.forEach((n, a) -> out.put(n, Checkpoints.toHost(a)));
        return out;
    }

    /** The width of the states it reads: its input over the number of position groups. */
    public int width() {
        return (int) params.get(WEIGHT).getShape().get(1) / groups;
    }

    public int classes() {
        return (int) params.get(WEIGHT).getShape().get(0);
    }

    /**
     * How many encoder states the head reads: L + 1 for the scalar mix, one otherwise. Pooling is linear
     * and so is the mix, so pooling every state first and mixing afterwards equals mixing first; that
     * order lets a frozen encoder's pooled states be computed once and reused for every epoch.
     */
    public int states(BertOutput out) {
        return transfer == Transfer.MIX ? out.hiddenStates().size() : 1;
    }

    /** The states the transfer mode reads, (S, B, T, H); attached to {@code s}. */
    NDArray stateStack(BertOutput out) {
        return switch (transfer) {
            case FULL, TOP -> out.lastHidden().expandDims(0);
            case EMBEDDINGS -> out.hiddenStates().get(0).expandDims(0);
            case MIX -> NDArrays.stack(new NDList(out.hiddenStates()), 0);
        };
    }

    /**
     * Every target's pooled features, (S, N, K*H): position groups averaged in each read state, the K
     * groups concatenated. {@code t} is the padded row length.
     */
    public NDArray pooled(NDManager s, BertOutput out, List<Encoded> batch, int t) {
        NDArray x = stateStack(out);
        long states = x.getShape().get(0);
        int b = batch.size();
        int h = (int) x.getShape().get(3);
        NDArray flat = x.reshape(states, (long) b * t, h); // (S, B*T, H)
        int n = batch.stream().mapToInt(e -> e.targets().size()).sum();
        NDList pooled = new NDList();
        for (int k = 0; k < groups; k++) {
            float[] avg = new float[n * b * t]; // (N, B*T): row j averages target j's group k
            int j = 0;
            for (int row = 0; row < b; row++) {
                for (Target tg : batch.get(row).targets()) {
                    int[] pos = tg.groups()[k];
                    for (int p : pos) {
                        avg[j * b * t + row * t + p] += 1f / pos.length;
                    }
                    j++;
                }
            }
            pooled.add(Tensors.copyOf(s, avg, new Shape(n, (long) b * t)).matMul(flat)); // (S, N, H), broadcast over S
        }
        return groups == 1 ? pooled.get(0) : NDArrays.concat(pooled, 2); // (S, N, K*H)
    }

    /** Logits (N, C) from pooled features (S, N, K*H); the scalar mix, when used, weighs the S states here. */
    public NDArray classify(NDManager s, NDArray pooled) {
        NDArray feats;
        if (transfer == Transfer.MIX) {
            // zeros + w puts the result in the step's manager while the gradient still reaches w.
            NDArray w = s.zeros(new Shape(pooled.getShape().get(0))).add(params.get(MIX_WEIGHTS)).softmax(0); // (S)
            feats = pooled.mul(w.reshape(-1, 1, 1)).sum(new int[] {0}).mul(params.get(MIX_GAMMA)); // (N, K*H)
        } else {
            feats = pooled.squeeze(0); // (N, K*H)
        }
        return Linear.linear(feats, params.get(WEIGHT), params.get(BIAS)).singletonOrThrow(); // (N, C)
    }

    /** Logits (N, C) for the batch's targets in order; {@code t} is the padded row length. */
    public NDArray logits(NDManager s, BertOutput out, List<Encoded> batch, int t) {
        return classify(s, pooled(s, out, batch, t));
    }

    @Override
    public void close() {
        manager.close();
    }
}
