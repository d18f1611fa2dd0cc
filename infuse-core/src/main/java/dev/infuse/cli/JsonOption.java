package dev.infuse.cli;

import picocli.CommandLine.Option;

/** {@code --json}: one machine-readable object on stdout in place of the human text. */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean requested;
}
