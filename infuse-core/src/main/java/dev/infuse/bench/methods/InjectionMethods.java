package dev.infuse.bench.methods;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import java.util.List;

/** The injection methods {@code --methods} accepts, by name. A new method is a class and one line below. */
public final class InjectionMethods {
    private static final Registry<InjectionMethod> REGISTRY = new Registry<InjectionMethod>()
            .register("none", NoInjection::new)
            .register("pelt", PeltInjection::new)
            .register("kbert", KbertInjection::new)
            .register("token-mask", () -> new MaskedPretraining("token"))
            .register("entity-mask", () -> new MaskedPretraining("entity"))
            .register("wwm", () -> new MaskedPretraining("wwm"))
            .register("span", () -> new MaskedPretraining("span"))
            // SenseBERT masks whole words, whose supersenses it scores; MLM keeps its full weight beside it
            .register("sensebert", () -> new MaskedPretraining("wwm", job -> new dev.infuse.train.ObjectiveSum.Spec(List.of("mlm", "sensebert"),
                    List.of(1f, 1f), List.of(dev.infuse.train.Objective.Spec.MLM,
                            new dev.infuse.inject.sensebert.SenseBertSpec(null, job.pretraining().seed())))))
            // WKLM: MLM on 5% of the tokens outside mentions, and swapped-mention detection on the bundle's types
            .register("wklm", () -> new MaskedPretraining("non-entity", job -> new dev.infuse.train.ObjectiveSum.Spec(List.of("mlm", "wklm"),
                    List.of(1f, 1f), List.of(dev.infuse.train.Objective.Spec.MLM,
                            new dev.infuse.inject.wklm.WklmSpec(job.domain(), job.pretraining().seed())))))
            // LIBERT: token MLM, and a batch of WordNet word pairs beside every step
            .register("libert", () -> new MaskedPretraining("token", job -> new dev.infuse.train.ObjectiveSum.Spec(List.of("mlm", "libert"),
                    List.of(1f, 1f), List.of(dev.infuse.train.Objective.Spec.MLM, new dev.infuse.inject.libert.LibertSpec(null,
                            dev.infuse.inject.libert.LibertSpec.DEFAULT_POSITIVES, job.pretraining().seed())))))
            // KEPLER: token MLM, and the bundle's triples scored from its entities' descriptions beside every step
            .register("kepler", () -> new MaskedPretraining("token", job -> new dev.infuse.train.ObjectiveSum.Spec(List.of("mlm", "kepler"),
                    List.of(1f, 1f), List.of(dev.infuse.train.Objective.Spec.MLM,
                            dev.infuse.inject.kepler.KeplerSpec.ofBundle(job.domain(), job.pretraining().seed())))))
            // "zeo" runs as zeo:2, but stays a name of its own so reports and work directories keep what the user typed
            .register("zeo", () -> new ZeoInjection(2))
            .register("zeo:0", () -> new ZeoInjection(0))
            .register("zeo:1", () -> new ZeoInjection(1))
            .register("zeo:2", () -> new ZeoInjection(2))
            .register("lora", () -> new AdapterPretraining("lora", dev.infuse.inject.adapter.LoraSpec.defaults()))
            .register("houlsby", () -> new AdapterPretraining("houlsby",
                    new dev.infuse.inject.adapter.BottleneckSpec(dev.infuse.inject.adapter.BottleneckAdapter.Layout.HOULSBY, 16)))
            .register("pfeiffer", () -> new AdapterPretraining("pfeiffer",
                    new dev.infuse.inject.adapter.BottleneckSpec(dev.infuse.inject.adapter.BottleneckAdapter.Layout.PFEIFFER, 16)))
            .register("nmg", NmgInjection::new)
            .register("ernie", ErnieInjection::new)
            .register("kge-concat", KgeConcatInjection::new)
            // a domain vocabulary, then token-mask's pretraining from it; vocab+entity-mask pretrains with entity masking instead
            .register("vocab", VocabInjection::new)
            .register("kadapter", KadapterInjection::new);

    public static final List<String> NAMES = REGISTRY.names();

    /** The adapter each task cell fine-tunes under {@code --transfer adapter}: PEFT's defaults, r 8 and alpha 8 on query and value. */
    public static dev.infuse.inject.KnowledgeSpec transferAdapter() {
        return dev.infuse.inject.adapter.LoraSpec.defaults();
    }

    private InjectionMethods() {}

    /**
     * The method named {@code name}, or the combination {@code a+b}; an unknown name is one error line that lists
     * the known ones.
     */
    public static InjectionMethod get(String name) {
        if (name.contains("+")) {
            List<String> parts = List.of(name.split("\\+", -1));
            if (parts.size() != parts.stream().distinct().count() || parts.contains("")) {
                throw new InfuseException("method \"" + name + "\" in --methods names a part twice or an empty one");
            }
            return new CombinedInjection(parts, parts.stream().map(InjectionMethods::single).toList());
        }
        return single(name);
    }

    private static InjectionMethod single(String name) {
        return REGISTRY.create(name).orElseThrow(
                () -> new InfuseException("unknown method \"" + name + "\" in --methods: expected " + String.join(", ", NAMES)
                        + ", or several joined by + (pelt+kbert)"));
    }
}
