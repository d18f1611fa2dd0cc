package dev.infuse.inject.nmg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.train.AdamW;
import dev.infuse.train.GradClip;
import dev.infuse.train.Trainables;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One actor-critic step from replay: sample by the critic's error, the loss of {@link ActorCriticLoss}, global-norm
 * clipping at {@link NmgSettings#CLIP} and the project's AdamW at a constant rate.
 */
final class PolicyUpdate {
    private PolicyUpdate() {}

    /** The critic's V of every experience in memory, without gradients. */
    static double[] values(PolicyNet net, ReplayMemory memory) {
        Tensors.noGrad();
        int n = memory.size();
        int h = net.config().hidden();
        float[] pooled = new float[n * h];
        for (int i = 0; i < n; i++) {
            System.arraycopy(memory.entries().get(i).pooled(), 0, pooled, i * h, h);
        }
        try (NDManager s = Engines.newManager()) {
            float[] v = net.value(Tensors.copyOf(s, pooled, new Shape(n, h))).toFloatArray();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = v[i];
            }
            return out;
        }
    }

    /** @return the loss before the update */
    static double step(PolicyNet player, Trainables params, AdamW adam, ReplayMemory memory, int batch, float lr, Random rng) {
        int[] picked = memory.sample(batch, values(player, memory), rng);
        List<Experience> rows = new ArrayList<>();
        for (int i : picked) {
            rows.add(memory.entries().get(i));
        }
        int b = rows.size();
        int t = rows.stream().mapToInt(Experience::length).max().orElseThrow();
        int h = player.config().hidden();
        float[] states = new float[b * t * h];
        float[][] real = new float[b][t];
        float[][] maskable = new float[b][t];
        List<ActorCriticLoss.Row> lossRows = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            Experience e = rows.get(r);
            System.arraycopy(e.state(), 0, states, r * t * h, e.state().length);
            for (int j = 0; j < e.length(); j++) {
                real[r][j] = 1f;
                maskable[r][j] = e.maskable()[j] ? 1f : 0f;
            }
            lossRows.add(ActorCriticLoss.Row.of(e));
        }
        double loss;
        try (NDManager s = Engines.newManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
            NDArray x = Tensors.copyOf(s, states, new Shape(b, t, h)); // (B, T, H)
            PolicyNet.Output out = player.forward(s, x, real, maskable);
            NDArray total = ActorCriticLoss.of(s, out.logProbs(), out.value(), lossRows).total(); // ()
            loss = total.getFloat();
            gc.backward(total);
        }
        double norm = GradClip.globalNorm(params.trained().values());
        if (!Double.isFinite(norm)) {
            throw new dev.infuse.InfuseException("the policy's gradient norm is " + norm + "; its training diverged");
        }
        adam.step(params.trained(), params.noDecay(), name -> lr, GradClip.factor(norm, NmgSettings.CLIP));
        return loss;
    }
}
