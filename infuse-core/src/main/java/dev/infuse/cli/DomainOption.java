package dev.infuse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --domain}, required, for the commands that read a domain bundle and have no default one. */
final class DomainOption {
    @Option(names = "--domain", required = true, paramLabel = "DIR", description = "Domain bundle directory (see data/foldoc/README.md).")
    Path dir;
}
