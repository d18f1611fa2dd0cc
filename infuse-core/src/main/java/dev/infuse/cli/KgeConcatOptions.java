package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.ernie.KgeConcat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kge-concat DIR --kge-concat-domain BUNDLE}: the head reads the mean KG vector of each text's linked entities beside the encoder's states. */
final class KgeConcatOptions {
    @Option(names = "--kge-concat", paramLabel = "DIR", description = "KG vectors from infuse kge train: the head reads their mean over each text's linked entities beside the encoder's states (Ostendorff et al.).")
    Path embeddings;

    @Option(names = "--kge-concat-domain", paramLabel = "DIR", description = "With --kge-concat: the bundle whose entity names link mentions to the vectors.")
    Path domain;

    /** The plug-in, or null without the flag. */
    KnowledgeSpec spec() {
        if (embeddings == null) {
            if (domain != null) {
                throw new InfuseException("--kge-concat-domain belongs to --kge-concat");
            }
            return null;
        }
        if (domain == null) {
            throw new InfuseException("--kge-concat needs --kge-concat-domain DIR, the bundle whose entity names link mentions to the vectors");
        }
        return new KgeConcat.Spec(embeddings, domain);
    }
}
