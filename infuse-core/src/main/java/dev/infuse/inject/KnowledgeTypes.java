package dev.infuse.inject;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import dev.infuse.inject.adapter.BottleneckAdapter;
import dev.infuse.inject.adapter.Lora;
import java.util.List;

/** Every knowledge method a saved model may name, by name. A new method is one line below. */
public final class KnowledgeTypes {
    private static final Registry<KnowledgeType> REGISTRY = new Registry<KnowledgeType>()
            .register(dev.infuse.inject.pelt.PeltKnowledge.NAME, () -> dev.infuse.inject.pelt.PeltKnowledge::load)
            .register(dev.infuse.inject.kbert.KbertKnowledge.NAME, () -> dev.infuse.inject.kbert.KbertKnowledge::load)
            .register("houlsby", () -> c -> BottleneckAdapter.load(c, BottleneckAdapter.Layout.HOULSBY))
            .register("pfeiffer", () -> c -> BottleneckAdapter.load(c, BottleneckAdapter.Layout.PFEIFFER))
            .register("lora", () -> Lora::load)
            .register(dev.infuse.inject.ernie.ErnieKnowledge.NAME, () -> dev.infuse.inject.ernie.ErnieKnowledge::load)
            .register(dev.infuse.inject.ernie.KgeConcat.NAME, () -> dev.infuse.inject.ernie.KgeConcat::load)
            .register(dev.infuse.inject.kadapter.KadapterKnowledge.NAME, () -> dev.infuse.inject.kadapter.KadapterKnowledge::load);

    public static final List<String> NAMES = REGISTRY.names();

    private KnowledgeTypes() {}

    /** The loader of {@code name}; {@code where} names the file that asked, for the error. */
    public static KnowledgeType get(String name, String where) {
        return REGISTRY.create(name).orElseThrow(() -> new InfuseException(where + " names knowledge method \"" + name
                + "\", which this infuse does not know (expected one of " + String.join(", ", NAMES) + ")"));
    }
}
