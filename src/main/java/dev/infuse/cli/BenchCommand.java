package dev.infuse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code infuse bench ...}: micro-benchmarks whose numbers go into docs/PERFORMANCE.md. */
@Command(name = "bench", description = "Measure component speed.", subcommands = {MatcherBench.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
