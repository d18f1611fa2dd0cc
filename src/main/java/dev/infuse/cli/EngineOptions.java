package dev.infuse.cli;

import dev.infuse.engine.Engines;
import picocli.CommandLine.Option;

/** Options for commands that start the engine. */
public final class EngineOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads for the engine (default: all cores).")
    void setThreads(int n) {
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--threads must be at least 1, got " + n);
        }
        Engines.setThreads(n);
    }
}
