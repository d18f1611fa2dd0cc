package dev.infuse.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, 42 unless a command starts from another value: picocli keeps a mixin that a command
 * creates itself, and shows the field's starting value as the default, so a command writes
 * {@code @Mixin SeedOption seed = new SeedOption(7);} instead of declaring the flag again.
 */
final class SeedOption {
    @Range(min = Long.MIN_VALUE, max = Long.MAX_VALUE)
    @Option(names = "--seed", paramLabel = "<seed>", description = "Seed for every random choice the command makes (default ${DEFAULT-VALUE}).")
    long value;

    SeedOption() {
        this(42);
    }

    SeedOption(long value) {
        this.value = value;
    }
}
