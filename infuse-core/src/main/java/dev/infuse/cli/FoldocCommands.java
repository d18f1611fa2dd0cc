package dev.infuse.cli;

import com.google.gson.JsonObject;
import dev.infuse.domain.BundleWriter;
import dev.infuse.domain.foldoc.FoldocBenchmark;
import dev.infuse.domain.foldoc.FoldocImporter;
import dev.infuse.text.Encoding;
import dev.infuse.text.WordPieceTokenizer;
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

    @Command(name = "benchmark", description = "Build benchmark tasks from a domain.", subcommands = {BenchmarkFoldoc.class})
    static final class Benchmark extends GroupCommand {
    }

    @Command(name = "foldoc", description = "Probes, entity typing and silver NER from FOLDOC, split by entity.")
    static final class BenchmarkFoldoc implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--source", required = true, paramLabel = "DIR|FILE",
                description = "FOLDOC source as for 'import foldoc' (cross-reference spans are needed, which the bundle does not keep).")
        Path source;

        @Option(names = "--output", required = true, paramLabel = "DIR")
        Path output;

        @Option(names = "--vocab", required = true, paramLabel = "VOCAB.txt", description = "BERT WordPiece vocabulary (uncased).")
        Path vocab;

        @Range(min = 1)
        @Option(names = "--rare-max", defaultValue = "5", description = "Most corpus mentions a 'rare' entity may have (default ${DEFAULT-VALUE}).")
        int rareMax;

        @Override
        public Integer call() {
            WordPieceTokenizer tok = WordPieceTokenizer.load(vocab);
            FoldocImporter.Result data = FoldocImporter.convert(FoldocSource.read(source));
            FoldocBenchmark.Counts c = new FoldocBenchmark(data, w -> pieceCount(tok, w), rareMax).write(output);
            JsonObject o = new JsonObject();
            o.addProperty("rare_max_mentions", rareMax);
            c.counts().forEach(o::addProperty);
            BundleWriter.writeLines(output.resolve("counts.json"), List.of(o.toString()).iterator(), x -> x);
            c.counts().forEach((k, v) -> spec.commandLine().getOut().println(k + ": " + v));
            return 0;
        }

        static int pieceCount(WordPieceTokenizer tok, String word) {
            Encoding e = tok.encode(word);
            int n = 0;
            for (int i = 0; i < e.size(); i++) {
                if (!e.special()[i]) {
                    n += e.ids()[i] == tok.unkId() ? 2 : 1; // an unknown word is never a single usable piece
                }
            }
            return n;
        }
    }
}
