package dev.infuse.cli;

import dev.infuse.engine.Engines;
import picocli.CommandLine.Option;

/** {@code --threads} alone, for commands that start the engine but run no BERT, so {@code --precision} would mean nothing. */
final class ThreadsOption {
    @Range(min = 1)
    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads for the engine (default: all cores).")
    void setThreads(int n) {
        String warning = EngineOptions.threadsWarning(n, Runtime.getRuntime().availableProcessors());
        if (warning != null) {
            System.err.println(warning);
        }
        Engines.setThreads(n);
    }
}
