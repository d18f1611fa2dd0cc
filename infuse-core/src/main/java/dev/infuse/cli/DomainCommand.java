package dev.infuse.cli;

import dev.infuse.domain.BundleStats;
import dev.infuse.domain.BundleValidator;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.FirstSentences;
import dev.infuse.domain.SpoImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infuse domain ...}: check, describe, import and derive benchmarks from domain bundles. */
@Command(name = "domain", description = "Work with domain bundles (entities, corpus, triples).",
        subcommands = {DomainCommand.Validate.class, DomainCommand.Stats.class, DomainCommand.Import.class,
                FoldocCommands.Benchmark.class, DomainCommand.FirstSentencesCommand.class})
final class DomainCommand extends GroupCommand {

    @Command(name = "validate", description = "Report every problem in a bundle as file:line: message.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Bundle directory.")
        Path dir;

        @Override
        public Integer call() {
            List<BundleValidator.Problem> problems = BundleValidator.validate(dir);
            PrintWriter out = spec.commandLine().getOut();
            problems.forEach(out::println);
            out.flush();
            if (problems.isEmpty()) {
                out.println(dir + ": valid");
                out.flush();
                return 0;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("infuse: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + dir);
            err.flush();
            return 1;
        }
    }

    @Command(name = "stats", description = "Print counts: entities, types, aliases, passages, mentions, triples.")
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Bundle directory.")
        Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(BundleStats.of(DomainBundle.open(dir)).format());
            out.flush();
            return 0;
        }
    }

    @Command(name = "import", description = "Convert an external resource into a bundle.",
            subcommands = {Import.Spo.class, FoldocCommands.Import.class, Import.WordNetCommand.class})
    static final class Import extends GroupCommand {

        @Command(name = "spo", description = "Import a K-BERT .spo file (subject<TAB>predicate<TAB>object).")
        static final class Spo implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--source", required = true, paramLabel = "FILE")
            Path source;

            @Option(names = "--output", required = true, paramLabel = "DIR")
            Path output;

            @Override
            public Integer call() {
                SpoImporter.Summary s = SpoImporter.importFile(source, output);
                spec.commandLine().getOut().printf("%s: %d entities, %d triples (%d duplicate lines dropped)%n",
                        output, s.entities(), s.triples(), s.duplicates());
                return 0;
            }
        }

        @Command(name = "wordnet", description = "WordNet 3.0's supersenses, lexical relations and an English K-BERT graph of common words.")
        static final class WordNetCommand implements Callable<Integer> {
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--wordnet", paramLabel = "DIR",
                    description = "A WordNet 3.0 dict/ directory (default: the copy from Maven Central, extjwnl-data-wn30).")
            Path wordnet;

            @Option(names = "--output", required = true, paramLabel = "DIR")
            Path output;

            @Override
            public Integer call() {
                dev.infuse.domain.wordnet.WordNet wn = wordnet != null ? dev.infuse.domain.wordnet.WordNet.load(wordnet)
                        : dev.infuse.domain.wordnet.WordNet.load();
                var s = dev.infuse.domain.wordnet.WordNetImport.write(wn, output);
                spec.commandLine().getOut().printf("%s: %d words with supersenses, %d synonym pairs, %d hypernym pairs%n", output, s.words(),
                        s.synonymPairs(), s.hypernymPairs());
                return 0;
            }
        }
    }

    @Command(name = "first-sentences", description = "Write a bundle whose passages are cut after their first sentence (short texts).")
    static final class FirstSentencesCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--domain", required = true, paramLabel = "DIR", description = "The bundle to cut.")
        Path domain;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the new bundle goes.")
        Path output;

        @Range(min = 1)
        @Option(names = "--max-words", paramLabel = "N", defaultValue = "2147483647",
                description = "Also cut a first sentence after its N-th word (default: no limit).")
        int maxWords;

        @Override
        public Integer call() {
            if (output.toAbsolutePath().normalize().equals(domain.toAbsolutePath().normalize())) {
                throw new dev.infuse.InfuseException("--output must differ from --domain: the bundle would be cut in place");
            }
            FirstSentences.Summary s = FirstSentences.write(DomainBundle.open(domain), output, maxWords);
            spec.commandLine().getOut().printf("%s: %d passages, %d mentions kept, %d outside the first sentences dropped%n", output,
                    s.passages(), s.mentions(), s.droppedMentions());
            return 0;
        }
    }
}
