package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a fine-tune moves from the pretrained model to the task, beyond one rate for everything from step 0.
 *
 * @param layerLrDecay discriminative rates (ELECTRA's layer-wise decay): encoder layer i (0-based, of L) learns at
 *     {@code lr · d^(L+1−i)}, the embeddings at {@code lr · d^(L+2)}, the head at its own rate; 1 is off
 * @param unfreezeEvery gradual unfreezing (ULMFiT): the head alone for this many steps, then one more layer from the
 *     top every this many steps, the embeddings last; 0 is off, {@link #EPOCH} one epoch's steps
 * @param initFrom two-stage fine-tuning: a fine-tuned run whose encoder (and head, when task and labels agree) this
 *     run starts from, or null
 * @param averageLast checkpoint averaging: the trained weights of the last K dev evaluations averaged into one
 *     model, saved in {@code averaged/}; 0 is off
 */
public record TransferSchedule(float layerLrDecay, int unfreezeEvery, Path initFrom, int averageLast) {
    public static final int EPOCH = -1;
    public static final TransferSchedule NONE = new TransferSchedule(1f, 0, null, 0);
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

    public TransferSchedule {
        if (!(layerLrDecay > 0 && layerLrDecay <= 1)) {
            throw new InfuseException("--layer-lr-decay must be in (0, 1], found " + layerLrDecay);
        }
        if (unfreezeEvery < EPOCH) {
            throw new InfuseException("--unfreeze-every must be a positive number of steps or \"epoch\", found " + unfreezeEvery);
        }
        if (averageLast < 0 || averageLast == 1) {
            throw new InfuseException("--average-last must be at least 2 (checkpoints to average), found " + averageLast);
        }
    }

    /** {@code --unfreeze-every}: "epoch", a number of steps, or absent. */
    public static int parseUnfreezeEvery(String value) {
        if (value == null) {
            return 0;
        }
        if (value.equalsIgnoreCase("epoch")) {
            return EPOCH;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // one message below
        }
        throw new InfuseException("--unfreeze-every must be a positive number of steps or \"epoch\", found \"" + value + "\"");
    }

    /** The encoder layer {@code name} belongs to, -1 for the embeddings, or {@code L} (the top) for anything else (pooler). */
    static int layerOf(BertConfig c, String name) {
        Matcher m = LAYER.matcher(name);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return name.contains("embeddings.") ? -1 : c.numHiddenLayers();
    }

    /** The learning-rate scale of encoder parameter {@code name} under {@link #layerLrDecay}. */
    public double lrScale(BertConfig c, String name) {
        if (layerLrDecay == 1f) {
            return 1;
        }
        int layer = layerOf(c, name);
        return Math.pow(layerLrDecay, c.numHiddenLayers() + 1 - Math.min(layer, c.numHiddenLayers() - 1));
    }

    /**
     * The step (0-based) from which encoder parameter {@code name} trains, with {@code every} steps a stage: the top
     * layer from stage 1, the one below from stage 2, the embeddings after the lowest layer.
     */
    public static long unfrozenFrom(BertConfig c, String name, long every) {
        int layer = layerOf(c, name);
        int stage = layer >= c.numHiddenLayers() - 1 ? 1 : c.numHiddenLayers() - layer; // embeddings (-1): L + 1
        return stage * every;
    }

    public boolean unfreezes() {
        return unfreezeEvery != 0;
    }

    /** What the schedule adds to a run's identity and provenance; nothing when it is off. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (layerLrDecay != 1f) {
            m.put("layer-lr-decay", layerLrDecay);
        }
        if (unfreezeEvery != 0) {
            m.put("unfreeze-every", unfreezeEvery == EPOCH ? "epoch" : unfreezeEvery);
        }
        if (initFrom != null) {
            m.put("init-from", initFrom.toString());
        }
        if (averageLast > 0) {
            m.put("average-last", averageLast);
        }
        return m;
    }
}
