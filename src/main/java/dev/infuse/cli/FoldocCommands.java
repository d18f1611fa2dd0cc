package dev.infuse.cli;

import dev.infuse.domain.foldoc.FoldocImporter;
import dev.infuse.domain.foldoc.FoldocSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infuse domain import foldoc} and {@code infuse domain benchmark foldoc}. */
final class FoldocCommands {
    private FoldocCommands() {}

    @Command(name = "foldoc", description = "Import FOLDOC from Debian's dictd files or the shipped foldoc.jsonl.gz.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--source", required = true, paramLabel = "DIR|FILE",
                description = "Directory with foldoc.index + foldoc.dict.dz, or foldoc.jsonl.gz (or its directory).")
        Path source;

        @Option(names = "--output", required = true, paramLabel = "DIR")
        Path output;

        @Option(names = "--gzip", description = "Write the bundle files gzipped (*.gz).")
        boolean gzip;

        @Option(names = "--export-source", paramLabel = "FILE",
                description = "Also write the raw entries read as a shipped-format foldoc.jsonl.gz.")
        Path exportSource;

        @Override
        public Integer call() {
            List<String> raw = FoldocSource.read(source);
            if (exportSource != null) {
                FoldocSource.writeShipped(raw, exportSource);
            }
            FoldocImporter.Result r = FoldocImporter.importTo(source, output, gzip);
            spec.commandLine().getOut().printf("%s: %d entries read, %d entities, %d passages, %d triples; "
                    + "%d of %d cross-references resolved to entities%n", output, raw.size(), r.entities().size(),
                    r.passages().size(), r.triples().size(), r.refsResolved(), r.refs());
            return 0;
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
