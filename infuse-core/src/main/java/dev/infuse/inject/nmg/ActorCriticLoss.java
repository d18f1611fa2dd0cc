package dev.infuse.inject.nmg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Tensors;
import java.util.List;

/**
 * The reference's off-policy actor-critic loss with an entropy bonus, per replayed text b and credited token j:
 *
 * <pre>
 * loss = mean_b [ 0.25·(r_b − V_b)²  −  mean_j (r_b − V_b)·ratio_bj  −  0.01·H(π_b) ],   ratio_bj = exp(log π(j) − log π_old(j))
 * </pre>
 *
 * The advantage in the policy term is a constant (the critic learns only from its own squared error), and the
 * ratio corrects for replaying actions an older policy took.
 */
public final class ActorCriticLoss {
    static final float VALUE_WEIGHT = 0.25f;
    static final float ENTROPY_WEIGHT = 0.01f;

    /** The three terms, each a mean over the rows, and their weighted sum; all () arrays. */
    public record Terms(NDArray value, NDArray policy, NDArray entropy, NDArray total) {}

    /** One replayed row: credited positions, their old log-probabilities, the reward. */
    public record Row(int[] positions, float[] oldLogProbs, float reward) {
        static Row of(Experience e) {
            return new Row(e.positions(), e.oldLogProbs(), e.reward());
        }
    }

    private ActorCriticLoss() {}

    /**
     * @param logProbs (B, T) log π of every token, −∞-like where a token cannot be chosen
     * @param value (B) the critic's V of each row
     */
    public static Terms of(NDManager s, NDArray logProbs, NDArray value, List<Row> rows) {
        int b = rows.size();
        long t = logProbs.getShape().get(1);
        int n = rows.stream().mapToInt(r -> r.positions().length).sum();
        long[] flat = new long[n];
        long[] rowOf = new long[n];
        float[] old = new float[n];
        float[] weight = new float[n]; // 1 / (B · tokens of the row): mean over a row's tokens, then over rows
        float[] reward = new float[b];
        int j = 0;
        for (int r = 0; r < b; r++) {
            Row row = rows.get(r);
            reward[r] = row.reward();
            for (int k = 0; k < row.positions().length; k++) {
                flat[j] = r * t + row.positions()[k];
                rowOf[j] = r;
                old[j] = row.oldLogProbs()[k];
                weight[j] = 1f / (b * row.positions().length);
                j++;
            }
        }
        NDArray rewards = Tensors.copyOf(s, reward, new Shape(b));
        NDArray advantage = rewards.sub(value); // (B)
        NDArray valueLoss = Tensors.scale(advantage.mul(advantage).mean(), VALUE_WEIGHT); // ()
        NDArray fixedAdvantage = advantage.stopGradient().get(Tensors.copyOf(s, rowOf, new Shape(n))); // (N)
        NDArray chosen = logProbs.reshape(b * t).get(Tensors.copyOf(s, flat, new Shape(n))); // (N)
        NDArray ratio = chosen.sub(Tensors.copyOf(s, old, new Shape(n))).exp(); // (N)
        NDArray policyLoss = fixedAdvantage.mul(ratio).mul(Tensors.copyOf(s, weight, new Shape(n))).sum().neg(); // ()
        NDArray entropy = entropy(logProbs); // ()
        NDArray total = valueLoss.add(policyLoss).sub(Tensors.scale(entropy, ENTROPY_WEIGHT)); // ()
        return new Terms(valueLoss, policyLoss, entropy, total);
    }

    /**
     * Mean over rows of −Σ_t π(t)·log π(t). Excluded tokens have π exactly 0 but a huge negative log π; their
     * product is 0 only if the log is finite, which the policy's large-but-finite exclusion keeps it.
     */
    static NDArray entropy(NDArray logProbs) {
        return logProbs.exp().mul(logProbs).sum(new int[] {1}).mean().neg(); // ()
    }
}
