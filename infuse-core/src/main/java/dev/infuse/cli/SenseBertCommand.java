package dev.infuse.cli;

import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.inject.sensebert.SupersenseEval;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infuse sensebert eval}: what a SenseBERT head learned, on WordNet's own example sentences. */
@Command(name = "sensebert", description = "SenseBERT: WordNet supersenses of masked words (train with pretrain --method mlm+sensebert).",
        subcommands = {SenseBertCommand.Eval.class})
final class SenseBertCommand extends GroupCommand {

    @Command(name = "eval", description = "Supersense accuracy of a run's SenseBERT head on masked words of WordNet's example sentences.")
    static final class Eval implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Option(names = "--model", required = true, paramLabel = "RUN", description = "A pretraining run with a SenseBERT head (its output directory).")
        Path run;

        @Option(names = "--wordnet", paramLabel = "DIR", description = "A WordNet 3.0 dict/ directory (default: the built-in WordNet 3.0).")
        Path wordnet;

        @Range(min = 1)
        @Option(names = "--examples", defaultValue = "2000", description = "Words scored, sampled with --seed (default ${DEFAULT-VALUE}).")
        int examples;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per forward pass (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Mixin
        SeedOption seed;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            WordNet wn = wordnet != null ? WordNet.load(wordnet) : WordNet.load();
            try (MaskedLm lm = MaskedLm.load(run.toString())) {
                SupersenseEval.Result r = SupersenseEval.run(lm, run, wn, examples, seed.value, batchSize);
                if (json.requested) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("words", r.counts());
                    o.put("accuracy", r.accuracy());
                    o.put("accuracy_among_allowed", r.accuracyAmongAllowed());
                    o.put("chance_among_allowed", r.chanceAmongAllowed());
                    Json.print(o);
                } else {
                    System.out.printf(Locale.ROOT, "%-6s %7s %10s %18s %18s%n", "pos", "words", "accuracy", "among allowed", "chance (allowed)");
                    for (String k : r.counts().keySet()) {
                        System.out.printf(Locale.ROOT, "%-6s %7d %10.3f %18.3f %18.3f%n", k.equals("n") ? "noun" : k.equals("v") ? "verb" : k,
                                r.counts().get(k), r.accuracy().get(k), r.accuracyAmongAllowed().get(k), r.chanceAmongAllowed().get(k));
                    }
                }
            }
            return 0;
        }
    }
}
