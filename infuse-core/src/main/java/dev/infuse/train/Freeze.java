package dev.infuse.train;

import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import dev.infuse.model.ParameterSpec;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which of the encoder's parameters train. Everything else keeps {@code requiresGradient} off, so autograd
 * neither records nor stores gradients for it: freezing saves memory and time, not just updates. Modules
 * (hooks, heads, an objective's parameters) always train; this decides only the backbone.
 *
 * @param topLayers train only the top k encoder layers and the MLM head (0 means all layers)
 * @param embeddingsOnly train only the embedding tables and their LayerNorm
 * @param backboneFrozen train none of the encoder: only the modules move (adapters)
 */
public record Freeze(int topLayers, boolean embeddingsOnly, boolean backboneFrozen) {
    public Freeze(int topLayers, boolean embeddingsOnly) {
        this(topLayers, embeddingsOnly, false);
    }

    /** The whole encoder frozen: only modules train. */
    public static Freeze backbone() {
        return new Freeze(0, false, true);
    }

    public Freeze {
        if (backboneFrozen && (topLayers > 0 || embeddingsOnly)) {
            throw new InfuseException("a frozen backbone trains no layer and no embedding");
        }
        if (topLayers < 0) {
            throw new InfuseException("--train-top-layers must be positive, found " + topLayers);
        }
        if (topLayers > 0 && embeddingsOnly) {
            throw new InfuseException("--train-top-layers and --train-embeddings-only exclude each other");
        }
    }

    public static Freeze none() {
        return new Freeze(0, false);
    }

    public String describe() {
        return backboneFrozen ? "backbone" : embeddingsOnly ? "embeddings-only" : topLayers > 0 ? "top-" + topLayers + "-layers" : "none";
    }

    /**
     * The names of the parameters that train. The pooler never does: the MLM loss does not reach it, and
     * weight decay alone would shrink it for nothing.
     */
    public Set<String> trainable(BertConfig c) {
        if (topLayers > c.numHiddenLayers()) {
            throw new InfuseException("--train-top-layers " + topLayers + " exceeds the model's " + c.numHiddenLayers() + " layers");
        }
        String p = ParameterSpec.prefix(c);
        Set<String> out = new LinkedHashSet<>();
        for (ParameterSpec s : ParameterSpec.of(c)) {
            String n = s.name();
            boolean embedding = n.startsWith(p + "embeddings.");
            boolean pooler = n.startsWith(p + "pooler.");
            boolean train;
            if (pooler || backboneFrozen) {
                train = false;
            } else if (embeddingsOnly) {
                train = embedding;
            } else if (topLayers > 0) {
                train = !embedding && (!n.startsWith(p + "encoder.layer.") || layerOf(n, p) >= c.numHiddenLayers() - topLayers);
            } else {
                train = true;
            }
            if (train) {
                out.add(n);
            }
        }
        return out;
    }

    private static int layerOf(String name, String prefix) {
        String rest = name.substring((prefix + "encoder.layer.").length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    }
}
