package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code infuse nmg train} runs. The defaults are sized for a 2-core CPU: an episode is three short
 * further-pretraining runs of the top layers and three linear probes, minutes rather than hours.
 *
 * @param episodes meta-training episodes in the whole run
 * @param steps further-pretraining steps each agent takes in an episode; the episode's texts are exactly
 *     {@code steps × batchSize}, so every agent masks every text once
 * @param topLayers encoder layers the agents' copies train (and the MLM head)
 * @param lmLr the copies' learning rate (constant)
 * @param taskTrain task training examples per episode, for the linear probe
 * @param taskDev task dev examples per episode, the score
 * @param updates actor-critic steps per episode, each on a replay sample of {@code replayBatch}
 * @param policyLr AdamW's learning rate for the policy (1e-4 in the reference); gradients are clipped at 1
 */
public record NmgSettings(int episodes, int steps, int batchSize, int maxSeqLength, int topLayers, float lmLr, int taskTrain, int taskDev,
        int updates, int replayBatch, int replayCapacity, float policyLr, long seed) {
    public static final float CLIP = 1f;

    public NmgSettings {
        atLeast("--episodes", episodes, 1);
        atLeast("--steps", steps, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--max-seq-length", maxSeqLength, 3);
        atLeast("--train-top-layers", topLayers, 1);
        atLeast("--task-train", taskTrain, 2);
        atLeast("--task-dev", taskDev, 1);
        atLeast("--updates", updates, 1);
        atLeast("--replay-batch", replayBatch, 1);
        atLeast("--replay-capacity", replayCapacity, 1);
        if (!(lmLr > 0) || !(policyLr > 0)) {
            throw new InfuseException("learning rates must be positive, found " + lmLr + " and " + policyLr);
        }
    }

    public static NmgSettings defaults(int episodes, long seed) {
        return new NmgSettings(episodes, 4, 8, 64, 2, 1e-4f, 200, 200, 10, 16, 512, 1e-4f, seed);
    }

    private static void atLeast(String flag, int value, int min) {
        if (value < min) {
            throw new InfuseException(flag + " must be at least " + min + ", found " + value);
        }
    }

    public int texts() {
        return steps * batchSize;
    }

    /** The settings that decide the numbers, by flag name; a resume must match them all except the episode budget. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batch-size", batchSize);
        m.put("max-seq-length", maxSeqLength);
        m.put("train-top-layers", topLayers);
        m.put("lm-lr", lmLr);
        m.put("task-train", taskTrain);
        m.put("task-dev", taskDev);
        m.put("updates", updates);
        m.put("replay-batch", replayBatch);
        m.put("replay-capacity", replayCapacity);
        m.put("policy-lr", policyLr);
        m.put("seed", seed);
        return m;
    }

    /** One line for the log: what an episode does. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d episodes; each: random, opponent and player agents further pretrain a copy of"
                + " the model for %d steps of %d texts (<= %d tokens), top %d layers, lr %.0e; each copy scored by a linear probe on"
                + " %d task train / %d dev examples; then %d actor-critic updates of %d from replay (capacity %d), AdamW lr %.0e,"
                + " clip %.0f", episodes, steps, batchSize, maxSeqLength, topLayers, lmLr, taskTrain, taskDev, updates, replayBatch,
                replayCapacity, policyLr, CLIP);
    }
}
