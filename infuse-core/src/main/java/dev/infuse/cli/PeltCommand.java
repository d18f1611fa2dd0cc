package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pelt", description = "PELT: a pluggable entity lookup table, built without training.",
        subcommands = {PeltCommand.Build.class})
final class PeltCommand extends GroupCommand {

    @Command(name = "build", description = "Build a table from a domain's corpus with a frozen masked LM.")
    static final class Build implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @Mixin
        DomainOption domain;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "The table file to write (safetensors).")
        Path output;

        @Range(min = 1)
        @Option(names = "--max-occurrences", defaultValue = "256", description = "Mentions per entity at most (default ${DEFAULT-VALUE}).")
        int maxOccurrences;

        @Range(min = 3)
        @Option(names = "--max-seq-length", defaultValue = "64", description = "Window length with [CLS] and [SEP] (default ${DEFAULT-VALUE}).")
        int maxSeqLength;

        @Option(names = "--entities", split = ",", paramLabel = "ID|TYPE", description = "Build rows only for these entity ids or types.")
        String[] entities;

        @Mixin
        SeedOption seed;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "64", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() {
            OutputFiles.requireWritable("--output", output, OutputFiles.filesIn(domain.dir));
            Set<String> selection = entities == null ? Set.of() : new HashSet<>(Arrays.asList(entities));
            PeltOptions d = PeltOptions.defaults();
            PeltOptions options = new PeltOptions(maxOccurrences, maxSeqLength, selection, seed.value, batchSize,
                    Math.max(batchSize, d.chunkSize()), d.checkpointSeconds());
            DomainBundle bundle = DomainBundle.open(domain.dir);
            try (MaskedLm lm = MaskedLm.load(model.name)) {
                lm.model().config().requireSequenceLength("--max-seq-length", maxSeqLength);
                PeltBuilder.Report r = PeltBuilder.build(lm, bundle, options, output, System.err::println);
                System.err.printf("wrote %s: %d entities from %d windows in %.1f s%n", output, r.table().size(), r.windows(), r.seconds());
            }
            return 0;
        }
    }
}
