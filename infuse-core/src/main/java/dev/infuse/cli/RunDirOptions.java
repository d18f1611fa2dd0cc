package dev.infuse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --output-dir}, {@code --overwrite} and {@code --resume}: the directory a training run owns, and
 * what to do when a run is already there. The run itself refuses to mix them up (resuming nothing,
 * overwriting without being asked).
 */
final class RunDirOptions {
    @Option(names = "--output-dir", required = true, paramLabel = "DIR",
            description = "The run's directory: the model, its logs and checkpoints (see the command's description).")
    Path dir;

    @Option(names = "--overwrite", description = "Replace a run already in --output-dir.")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue the run in --output-dir from its last checkpoint.")
    boolean resume;
}
