package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.adapter.BottleneckAdapter;
import dev.infuse.inject.adapter.BottleneckSpec;
import dev.infuse.inject.adapter.LoraSpec;
import dev.infuse.train.Freeze;
import dev.infuse.train.HookSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --adapter houlsby|pfeiffer|lora} with its sizes, and whether the backbone trains beside it: one mixin
 * for every command that trains or loads an adapter, so they all read the same flags the same way.
 */
final class AdapterOptions {
    @Option(names = "--adapter", paramLabel = "KIND",
            description = "Train an adapter inside the encoder: houlsby (two bottlenecks a layer, AdapterHub's), pfeiffer (one, AdapterHub's seq_bn) or lora (PEFT's); the backbone is frozen unless --train-backbone.")
    String kind;

    @Range(min = 1)
    @Option(names = "--adapter-reduction", paramLabel = "N",
            description = "houlsby, pfeiffer: hidden size / N bottleneck units (default 16: 48 units for 768).")
    Integer reduction;

    @Range(min = 1)
    @Option(names = "--lora-r", paramLabel = "R", description = "lora: rank (default 8).")
    Integer loraR;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "lora: alpha; the update is scaled by alpha / r (default 8).")
    Float loraAlpha;

    @Option(names = "--lora-dropout", paramLabel = "P", description = "lora: dropout on the wrapped projections' input (default 0).")
    Float loraDropout;

    @Option(names = "--lora-targets", paramLabel = "MODULES", split = ",",
            description = "lora: projections to wrap, as PEFT's target_modules: query, key, value, attention.output.dense, intermediate.dense, output.dense, dense (default query,value).")
    List<String> loraTargets;

    @Option(names = "--train-backbone", description = "With --adapter: train the encoder too (with --train-top-layers or --train-embeddings-only, that part of it).")
    boolean trainBackbone;

    private final Map<String, Supplier<KnowledgeSpec>> kinds = new LinkedHashMap<>();

    AdapterOptions() {
        kinds.put("houlsby", () -> bottleneck(BottleneckAdapter.Layout.HOULSBY));
        kinds.put("pfeiffer", () -> bottleneck(BottleneckAdapter.Layout.PFEIFFER));
        kinds.put("lora", this::lora);
    }

    /** The adapter asked for, or null without {@code --adapter}; a size flag of another kind is an error. */
    KnowledgeSpec spec() {
        if (kind == null) {
            List<String> stray = given();
            if (!stray.isEmpty()) {
                throw new InfuseException(stray.get(0) + " belongs to --adapter");
            }
            return null;
        }
        Supplier<KnowledgeSpec> f = kinds.get(kind);
        if (f == null) {
            throw new InfuseException("unknown --adapter \"" + kind + "\": expected " + String.join(", ", kinds.keySet()));
        }
        return f.get();
    }

    /** The same adapter as a layer hook for a pretraining run, or null. */
    HookSpec hook() {
        return (HookSpec) spec();
    }

    /**
     * What trains of the backbone: nothing with an adapter, unless {@code --train-backbone}; then, or without an
     * adapter, what {@code requested} (from --train-top-layers / --train-embeddings-only) says.
     */
    Freeze freeze(Freeze requested) {
        if (kind == null) {
            if (trainBackbone) {
                throw new InfuseException("--train-backbone belongs to --adapter");
            }
            return requested;
        }
        if (trainBackbone) {
            return requested;
        }
        if (!requested.equals(Freeze.none())) {
            throw new InfuseException("--adapter freezes the backbone; add --train-backbone to also train the part of it that "
                    + (requested.embeddingsOnly() ? "--train-embeddings-only" : "--train-top-layers") + " names");
        }
        return Freeze.backbone();
    }

    private KnowledgeSpec bottleneck(BottleneckAdapter.Layout layout) {
        refuse(loraFlags(), "--adapter " + layout.label());
        return new BottleneckSpec(layout, reduction != null ? reduction : BottleneckSpec.DEFAULT_REDUCTION);
    }

    private KnowledgeSpec lora() {
        if (reduction != null) {
            throw new InfuseException("--adapter-reduction belongs to --adapter houlsby or pfeiffer; a LoRA's size is --lora-r");
        }
        return new LoraSpec(loraR != null ? loraR : LoraSpec.DEFAULT_R, loraAlpha != null ? loraAlpha : LoraSpec.DEFAULT_ALPHA,
                loraDropout != null ? loraDropout : 0f, loraTargets != null ? loraTargets : LoraSpec.DEFAULT_TARGETS);
    }

    private List<String> loraFlags() {
        List<String> out = new ArrayList<>();
        if (loraR != null) {
            out.add("--lora-r");
        }
        if (loraAlpha != null) {
            out.add("--lora-alpha");
        }
        if (loraDropout != null) {
            out.add("--lora-dropout");
        }
        if (loraTargets != null) {
            out.add("--lora-targets");
        }
        return out;
    }

    private List<String> given() {
        List<String> out = new ArrayList<>();
        if (reduction != null) {
            out.add("--adapter-reduction");
        }
        out.addAll(loraFlags());
        return out;
    }

    private static void refuse(List<String> flags, String kind) {
        if (!flags.isEmpty()) {
            throw new InfuseException(flags.get(0) + " belongs to --adapter lora, not " + kind);
        }
    }
}
