package dev.infuse.cli;

import dev.infuse.engine.Engines;
import picocli.CommandLine.Option;

/** Options for commands that start the engine. */
public final class EngineOptions {
    @Range(min = 1)
    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads for the engine (default: all cores).")
    void setThreads(int n) {
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--threads must be at least 1, got " + n);
        }
        String warning = threadsWarning(n, Runtime.getRuntime().availableProcessors());
        if (warning != null) {
            System.err.println(warning);
        }
        Engines.setThreads(n);
    }

    /** More intra-op threads than cores only makes them wait for each other; said once, not refused. */
    static String threadsWarning(int threads, int cores) {
        return threads > cores ? "infuse: warning: --threads " + threads + " is more than this machine's " + cores
                + " cores; the extra threads only take turns with the others" : null;
    }
}
