package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.kadapter.KadapterKnowledge;
import dev.infuse.inject.kadapter.SavedKadapter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kadapter DIR}: a factual adapter from {@code infuse kadapter train}; the head reads [last ; adapter]. */
final class KadapterOption {
    @Option(names = "--kadapter", paramLabel = "DIR", description = "A factual adapter (the --output of infuse kadapter train): the head reads "
            + "[encoder last ; adapter last], and the adapter trains with the head while the encoder stays frozen (unless --train-backbone).")
    Path dir;

    /** The plug-in, or null without the flag. */
    KnowledgeSpec spec() {
        if (dir == null) {
            return null;
        }
        if (!Files.isRegularFile(dir.resolve(KadapterKnowledge.WEIGHTS))) {
            throw new InfuseException("--kadapter " + dir + " holds no " + KadapterKnowledge.WEIGHTS + "; give the --output of infuse kadapter train");
        }
        return new SavedKadapter(dir);
    }
}
