package dev.infuse.cli;

import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.inject.ernie.ErnieKnowledge;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --ernie}: the --model directory was pretrained with ERNIE (--method mlm+dea); link and fuse its saved entity vectors. */
final class ErnieOption {
    @Option(names = "--ernie", description = "The --model directory was pretrained with --method mlm+dea: link mentions and fuse the KG vectors it saved.")
    boolean on;

    /** The plug-in for {@code model}, or null without the flag. */
    KnowledgeSpec spec(String model) {
        return on ? new SavedKnowledge(ErnieKnowledge.NAME, Path.of(model)) : null;
    }
}
