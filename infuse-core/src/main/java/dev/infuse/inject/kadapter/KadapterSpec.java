package dev.infuse.inject.kadapter;

import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.model.MaskedLm;
import java.util.List;
import java.util.Map;

/**
 * A fresh factual adapter as a command asked for it, before the model loads: {@code layers} null for the reference's
 * three layers scaled to the model's depth ({@link KadapterConfig#scaledLayers}). A trained one is opened from its
 * directory with {@link dev.infuse.inject.SavedKnowledge}.
 */
public record KadapterSpec(List<Integer> layers, int adapterSize, int transformerLayers, int heads, int intermediate) implements KnowledgeSpec {
    /** The paper's adapter: 768 wide, two transformer layers of 12 heads and 3072 feed-forward units, at the scaled layers. */
    public static KadapterSpec defaults() {
        return new KadapterSpec(null, KadapterConfig.SIZE, KadapterConfig.TRANSFORMER_LAYERS, KadapterConfig.HEADS, KadapterConfig.INTERMEDIATE);
    }

    public KadapterSpec {
        layers = layers == null ? null : List.copyOf(layers);
    }

    @Override
    public String name() {
        return KadapterKnowledge.NAME;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kadapter-layers", layers == null ? "scaled" : layers.toString());
        m.put("kadapter-size", adapterSize);
        m.put("kadapter-transformer-layers", transformerLayers);
        m.put("kadapter-heads", heads);
        m.put("kadapter-intermediate", intermediate);
        return m;
    }

    @Override
    public List<String> files() {
        return List.of(KadapterKnowledge.WEIGHTS, KadapterKnowledge.CONFIG);
    }

    /** The config this spec gives on {@code lm}'s encoder. */
    public KadapterConfig config(MaskedLm lm) {
        return KadapterConfig.on(lm.model().config(), layers, adapterSize, transformerLayers, heads, intermediate);
    }

    @Override
    public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
        return new KadapterKnowledge(FactualAdapter.create(config(lm), seed), Map.of());
    }
}
