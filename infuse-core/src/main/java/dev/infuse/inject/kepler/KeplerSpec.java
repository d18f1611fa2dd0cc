package dev.infuse.inject.kepler;

import dev.infuse.InfuseException;
import dev.infuse.inject.Objectives;
import dev.infuse.io.Provenance;
import dev.infuse.kge.TripleFile;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --method mlm+kepler}: the graph is a triples file with a description source ({@code --kepler-triples FILE
 * --kepler-descriptions wordnet|FILE}), or, with neither, the {@code --domain} bundle's triples and entity descriptions.
 *
 * @param triples a triples file, or a bundle directory (its triples.tsv)
 * @param descriptions {@code wordnet}, an {@code id<TAB>description} file, or null for the bundle's entities
 * @param descriptionTokens tokens of a description the encoder reads, [CLS] and [SEP] included
 * @param triplesPerBatch triples beside each MLM micro-batch, each with a corrupted head and a corrupted tail
 * @param seed seeds the relation vectors and the triple stream
 */
public record KeplerSpec(Path triples, String descriptions, int descriptionTokens, int triplesPerBatch, long seed) implements Objective.Spec {
    public static final int DEFAULT_DESCRIPTION_TOKENS = 64;
    public static final int DEFAULT_TRIPLES = 4;

    public static final Objectives.Type TYPE = new Objectives.Type() {
        @Override
        public Set<String> flags() {
            return Set.of("--kepler-triples", "--kepler-descriptions", "--kepler-description-tokens", "--kepler-triples-per-batch");
        }

        @Override
        public Objective.Spec spec(Objectives.Args a) {
            Path triples = a.get("--kepler-triples", Path.class);
            String descriptions = a.get("--kepler-descriptions", String.class);
            if (triples == null) {
                if (descriptions != null) {
                    throw new InfuseException("--kepler-descriptions needs --kepler-triples: a bundle's entities describe its own triples");
                }
                if (a.domain() == null) {
                    throw new InfuseException("--method kepler needs a graph: --kepler-triples FILE --kepler-descriptions wordnet|FILE, "
                            + "or --domain DIR whose triples and entity descriptions it reads");
                }
                triples = a.domain();
            } else if (descriptions == null && !Files.isDirectory(triples)) {
                throw new InfuseException("--kepler-triples " + triples + " needs --kepler-descriptions wordnet|FILE: KEPLER embeds entities from their descriptions");
            }
            return new KeplerSpec(triples, descriptions, a.get("--kepler-description-tokens", Integer.class),
                    a.get("--kepler-triples-per-batch", Integer.class), a.get("--seed", Long.class));
        }
    };

    public KeplerSpec {
        if (descriptionTokens < 3) {
            throw new InfuseException("--kepler-description-tokens must be at least 3 ([CLS], a token, [SEP]), found " + descriptionTokens);
        }
        if (triplesPerBatch < 1) {
            throw new InfuseException("--kepler-triples-per-batch must be at least 1, found " + triplesPerBatch);
        }
    }

    /** The graph of a domain bundle, as {@code bench --methods kepler} trains on it. */
    public static KeplerSpec ofBundle(Path domain, long seed) {
        return new KeplerSpec(domain, null, DEFAULT_DESCRIPTION_TOKENS, DEFAULT_TRIPLES, seed);
    }

    Descriptions source() {
        return descriptions == null ? Descriptions.bundle(triples) : Descriptions.parse(descriptions);
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        Path file = Files.isDirectory(triples) ? dev.infuse.domain.BundleFiles.find(triples, dev.infuse.domain.BundleFiles.TRIPLES) : triples;
        if (file == null || !Files.isRegularFile(file)) {
            throw new InfuseException("kepler: no triples at " + triples);
        }
        m.put("kepler-triples-sha256", Provenance.sha256(file));
        m.put("kepler-descriptions", descriptions == null ? "bundle"
                : descriptions.equalsIgnoreCase("wordnet") ? "wordnet" : "sha256 " + Provenance.sha256(Path.of(descriptions)));
        m.put("kepler-description-tokens", descriptionTokens);
        m.put("kepler-triples-per-batch", triplesPerBatch);
        m.put("kepler-gamma", KeplerLoss.GAMMA);
        return m;
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        KeplerGraph graph = KeplerGraph.of(TripleFile.read(triples), source());
        log.println("infuse: kepler: " + graph.triples().size() + " triples, " + graph.entityCount() + " entities, "
                + graph.ids().relations().size() + " relations; " + triplesPerBatch + " triples beside each micro-batch, each with a corrupted head and tail");
        return new KeplerObjective(graph, lm.tokenizer(), lm.model().config().hiddenSize(), descriptionTokens, triplesPerBatch, KeplerLoss.GAMMA, seed);
    }
}
