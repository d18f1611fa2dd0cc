package dev.infuse.cli;

import dev.infuse.inject.KnowledgeStack;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.probe.ProbeEvaluator;
import dev.infuse.task.probe.ProbeLog;
import dev.infuse.task.probe.ProbeScores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "probe", description = "Knowledge probing on LAMA jsonl: P@1, P@10 and MRR overall, per relation and per bucket.")
final class ProbeCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption model;

    @Option(names = "--probes", required = true, paramLabel = "FILE", description = "LAMA jsonl probes.")
    Path probes;

    @Option(names = "--whole-word-answers", description = "Rank only over whole-word vocabulary entries.")
    boolean wholeWord;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "32", description = "Probes per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write every probe's top-k candidates with their probabilities and the answer's rank, as jsonl.")
    Path predictions;

    @Range(min = 1)
    @Option(names = "--top-k", defaultValue = "10", paramLabel = "K", description = "Candidates per probe in --predictions (default ${DEFAULT-VALUE}).")
    int topK;

    @Mixin
    JsonOption json;

    @Mixin
    EntityTableOptions entityTable;

    @Mixin
    ErnieOption ernie;

    @Override
    public Integer call() {
        ProbeEvaluator.Options options = new ProbeEvaluator.Options(batchSize, wholeWord);
        ProbeLog log = null;
        if (predictions != null) {
            OutputFiles.requireWritable("--predictions", predictions, probes);
            log = new ProbeLog(topK);
        }
        try (MaskedLm lm = MaskedLm.load(model.name);
                KnowledgeStack stack = new KnowledgeStack(java.util.stream.Stream.of(entityTable.spec(), ernie.spec(model.name))
                        .filter(java.util.Objects::nonNull).map(k -> k.open(lm, 512, 0)).toList());
                ProbeEvaluator.Plugged plugged = ProbeEvaluator.plugged(lm, stack)) {
            ProbeScores s = new ProbeEvaluator(lm, plugged.encoder(), options).logTo(log).evaluate(probes);
            if (log != null) {
                log.write(predictions);
                System.err.println("infuse: wrote " + log.size() + " probe outcomes to " + predictions);
            }
            java.util.Optional.ofNullable(s.nanNote()).ifPresent(System.err::println);
            if (json.requested) {
                Json.print(s.toJson());
            } else {
                print(s);
            }
        }
        return 0;
    }

    static void print(ProbeScores s) {
        System.out.printf("%-28s %7s %7s %7s %7s%n", "group", "count", "P@1", "P@10", "MRR");
        line("overall", s.overall());
        s.byBucket().forEach((k, v) -> line("bucket " + k, v));
        s.byRelation().forEach((k, v) -> line("relation " + k, v));
        for (Map.Entry<String, Integer> e : s.skipped().entrySet()) {
            System.out.printf("skipped %d: %s%n", e.getValue(), e.getKey());
        }
    }

    private static void line(String name, ProbeScores.Metrics m) {
        System.out.printf("%-28s %7d %7.3f %7.3f %7.3f%n", name, m.count(), m.pAt1(), m.pAt10(), m.mrr());
    }
}
