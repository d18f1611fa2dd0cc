package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import picocli.CommandLine.Option;

/** Options for commands that start the engine. */
public final class EngineOptions {
    // No defaultValue: picocli applies defaults to every mixin of a command chain (bench and bench engine both
    // have one), and a parent's default must not undo the subcommand's flag. Main.run sets auto for each command.
    @Option(names = "--precision", paramLabel = "auto|fp32|bf16",
            description = "Precision of matrix products: bf16 (mixed, as torch.autocast on a CPU), fp32, or auto: bf16 where the CPU "
                    + "has AMX or AVX512-BF16 and the engine runs it, else fp32 (default: auto). Said once on stderr and kept in provenance.")
    void setPrecision(String choice) {
        try {
            Engines.usePrecision(Precision.parseChoice(choice));
        } catch (InfuseException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
    }

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
