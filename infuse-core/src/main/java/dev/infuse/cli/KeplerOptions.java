package dev.infuse.cli;

import dev.infuse.inject.kepler.KeplerSpec;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags of {@code --method kepler}, gathered so that {@code pretrain} names them in one line. */
final class KeplerOptions {
    @Option(names = "--kepler-triples", paramLabel = "FILE", description = "kepler: head<TAB>relation<TAB>tail triples (default: the --domain bundle's).")
    Path triples;

    @Option(names = "--kepler-descriptions", paramLabel = "wordnet|FILE",
            description = "kepler: the entities' descriptions: wordnet (WordNet 3.0 glosses by synset offset, WN18RR's ids) or id<TAB>description lines.")
    String descriptions;

    @Range(min = 3, max = 512)
    @Option(names = "--kepler-description-tokens", defaultValue = "" + KeplerSpec.DEFAULT_DESCRIPTION_TOKENS,
            description = "kepler: tokens of a description the encoder reads, [CLS] and [SEP] included (default ${DEFAULT-VALUE}).")
    int descriptionTokens;

    @Range(min = 1, max = 4096)
    @Option(names = "--kepler-triples-per-batch", defaultValue = "" + KeplerSpec.DEFAULT_TRIPLES,
            description = "kepler: triples beside each MLM micro-batch, each with a corrupted head and tail (default ${DEFAULT-VALUE}).")
    int triplesPerBatch;

    void putInto(Map<String, Object> values) {
        values.put("--kepler-triples", triples);
        values.put("--kepler-descriptions", descriptions);
        values.put("--kepler-description-tokens", descriptionTokens);
        values.put("--kepler-triples-per-batch", triplesPerBatch);
    }
}
