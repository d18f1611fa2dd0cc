package dev.infuse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** FOLDOC import and benchmark commands (filled in below). */
final class FoldocCommands {
    private FoldocCommands() {}

    @Command(name = "foldoc", description = "Import FOLDOC (Debian dictd files or the shipped copy).")
    static final class Import implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }

    @Command(name = "benchmark", description = "Build benchmark tasks from a bundle.")
    static final class Benchmark implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }
}
