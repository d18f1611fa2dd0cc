package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.kepler.Descriptions;
import dev.infuse.inject.kepler.KeplerEval;
import dev.infuse.inject.kepler.KeplerSpec;
import dev.infuse.inject.kepler.KeplerSplit;
import dev.infuse.kge.LinkPrediction;
import dev.infuse.kge.TripleFile;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infuse kepler eval|split}: KEPLER's link prediction from descriptions, and its inductive split. */
@Command(name = "kepler", description = "KEPLER: entity embeddings from descriptions by the encoder (train with pretrain --method mlm+kepler).",
        subcommands = {KeplerCommand.Eval.class, KeplerCommand.Split.class})
final class KeplerCommand extends GroupCommand {

    @Command(name = "eval", description = "Filtered link prediction with every candidate entity embedded from its description by the run's encoder and the run's relation vectors: MRR, MR, Hits@1/3/10 over both directions.")
    static final class Eval implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Option(names = "--model", required = true, paramLabel = "RUN", description = "A pretraining run with KEPLER's objective (its output directory).")
        Path run;

        @Option(names = "--test", required = true, arity = "1..*", paramLabel = "FILE",
                description = "Triples to rank; several files are scored one by one with the entities encoded once (test-transductive.txt and test-inductive.txt of kepler split).")
        List<Path> tests;

        @Option(names = "--known", required = true, arity = "1..*", paramLabel = "FILE", description = "Triples to filter (usually train, valid and test).")
        List<Path> known;

        @Option(names = "--descriptions", paramLabel = "wordnet|FILE|DIR",
                description = "The entities' descriptions: wordnet (WordNet 3.0 glosses by synset offset), id<TAB>description lines, or a domain bundle.")
        String descriptions;

        @Option(names = "--entities", paramLabel = "FILE", description = "The candidates to rank among (one id a line, or index<TAB>id); default: every entity of --test and --known.")
        Path entities;

        @Range(min = 3, max = 512)
        @Option(names = "--description-tokens", description = "Tokens of a description the encoder reads (default: what the run trained with, else 64).")
        Integer descriptionTokens;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "64", description = "Descriptions per forward pass (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            if (descriptions == null) {
                throw new InfuseException("kepler eval needs --descriptions wordnet|FILE|DIR: every candidate is embedded from its description");
            }
            List<List<TripleFile.Row>> testRows = new ArrayList<>();
            for (Path t : tests) {
                testRows.add(TripleFile.read(InputFiles.readable("--test", t)));
            }
            List<List<TripleFile.Row>> knownRows = new ArrayList<>();
            for (Path k : known) {
                knownRows.add(TripleFile.read(InputFiles.readable("--known", k)));
            }
            Path d = Path.of(descriptions);
            Descriptions source = !descriptions.equalsIgnoreCase("wordnet") && java.nio.file.Files.isDirectory(d) ? Descriptions.bundle(d)
                    : Descriptions.parse(descriptions);
            Integer trained = KeplerEval.trainedDescriptionTokens(run);
            int tokens = descriptionTokens != null ? descriptionTokens : trained != null ? trained : KeplerSpec.DEFAULT_DESCRIPTION_TOKENS;
            List<String> candidates = entities == null ? null : TripleFile.readIds(InputFiles.readable("--entities", entities));
            KeplerEval.Result r;
            try (MaskedLm lm = MaskedLm.load(run.toString())) {
                r = KeplerEval.evaluate(lm, run, testRows, knownRows, candidates, source, tokens, batchSize, System.err);
            }
            if (json.requested) { // one object for one test file, as kge eval prints; one per file, by its name, for several
                Map<String, Object> all = new LinkedHashMap<>();
                for (int i = 0; i < tests.size(); i++) {
                    Map<String, Object> o = new LinkedHashMap<>(r.metrics().get(i).toMap());
                    o.put("rankings", r.metrics().get(i).rankings());
                    o.put("entities", r.entities());
                    all.put(tests.get(i).toString(), o);
                }
                Json.print(tests.size() == 1 ? all.values().iterator().next() : all);
            } else {
                for (int i = 0; i < tests.size(); i++) {
                    LinkPrediction.Metrics m = r.metrics().get(i);
                    System.out.printf(Locale.ROOT, "kepler on %s (%d rankings among %d entities, filtered, both directions)%n", tests.get(i), m.rankings(),
                            r.entities());
                    System.out.printf(Locale.ROOT, "MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f%n", m.mrr(), m.mr(), m.hits1(), m.hits3(),
                            m.hits10());
                }
            }
            return 0;
        }
    }

    @Command(name = "split", description = "The inductive setting: hold --held-out entities of the test triples out of train and valid; writes train.txt, valid.txt, test-transductive.txt, test-inductive.txt, held-out.txt and provenance.json into --output.")
    static final class Split implements Callable<Integer> {
        @Option(names = "--train", required = true, paramLabel = "FILE")
        Path train;

        @Option(names = "--valid", paramLabel = "FILE")
        Path valid;

        @Option(names = "--test", required = true, paramLabel = "FILE")
        Path test;

        @Range(min = 1)
        @Option(names = "--held-out", defaultValue = "500", description = "Test entities held out of training, drawn with --seed from their sorted ids (default ${DEFAULT-VALUE}).")
        int heldOut;

        @Option(names = "--output", required = true, paramLabel = "DIR")
        Path output;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            KeplerSplit.Counts c = KeplerSplit.write(InputFiles.readable("--train", train), valid == null ? null : InputFiles.readable("--valid", valid),
                    InputFiles.readable("--test", test), heldOut, seed.value, output);
            System.err.printf(Locale.ROOT, "infuse: kepler split: %d entities held out; train %d, valid %d, test %d transductive and %d inductive triples (%d test triples of neither kind left out); wrote %s%n",
                    c.heldOut(), c.train(), c.valid(), c.transductive(), c.inductive(), c.neither(), output);
            return 0;
        }
    }
}
