package dev.infuse.inject.wklm;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.inject.Objectives;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code --method mlm+wklm --domain DIR}: the bundle's typed entities are what mentions are swapped for.
 *
 * @param domain the bundle whose linked corpus is trained on
 * @param seed seeds the head's initial weights
 */
public record WklmSpec(Path domain, long seed) implements Objective.Spec {
    public static final Objectives.Type TYPE = new Objectives.Type() {
        @Override
        public Set<String> flags() {
            return Set.of();
        }

        @Override
        public Objective.Spec spec(Objectives.Args a) {
            if (a.domain() == null) {
                throw new InfuseException("--method wklm needs --domain: it swaps the bundle's linked mentions for entities of their type");
            }
            return new WklmSpec(a.domain(), a.get("--seed", Long.class));
        }
    };

    public WklmSpec {
        if (domain == null) {
            throw new InfuseException("wklm needs a domain bundle");
        }
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        // the entities the swaps draw from, in whichever form the bundle keeps them (FOLDOC's is gzipped)
        List<Path> files = dev.infuse.domain.BundleFiles.variants(DomainBundle.open(domain).dir(), dev.infuse.domain.BundleFiles.ENTITIES);
        if (files.isEmpty()) {
            throw new InfuseException("wklm: " + domain + " has no " + dev.infuse.domain.BundleFiles.ENTITIES + " to swap mentions from");
        }
        m.put("wklm-entities-sha256", Provenance.sha256(files.get(0)));
        return m;
    }

    /** WKLM's MLM masks single tokens and leaves every mention whole. */
    @Override
    public String defaultMasking() {
        return "non-entity";
    }

    /** WKLM lowers MLM's share to 5%: the mentions carry the other half of the signal. */
    @Override
    public Double defaultMlmProbability() {
        return 0.05;
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        Map<String, String> typeOf = new HashMap<>();
        Map<String, List<String>> byType = new TreeMap<>();
        Map<String, int[]> names = new HashMap<>();
        for (Entity e : DomainBundle.open(domain).entities()) {
            if (e.type() == null || e.type().isBlank()) {
                continue;
            }
            int[] ids = pieces(lm, e.name());
            if (ids.length == 0) {
                continue;
            }
            typeOf.put(e.id(), e.type());
            byType.computeIfAbsent(e.type(), k -> new ArrayList<>()).add(e.id());
            names.put(e.id(), ids);
        }
        byType.values().forEach(java.util.Collections::sort);
        long types = byType.values().stream().filter(v -> v.size() > 1).count();
        if (types == 0) {
            throw new InfuseException("wklm: no type of " + domain + " holds two named entities, so no mention can be swapped");
        }
        log.println("infuse: wklm: " + typeOf.size() + " typed entities in " + types + " types can stand in for each other");
        return new WklmObjective(new MentionSwap(typeOf, byType, names), lm.model().config().hiddenSize(), seed);
    }

    private static int[] pieces(MaskedLm lm, String name) {
        var enc = lm.tokenizer().encode(name);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < enc.size(); i++) {
            if (!enc.special()[i]) {
                out.add(enc.ids()[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
