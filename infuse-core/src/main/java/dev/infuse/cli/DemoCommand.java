package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Engines;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltKnowledge;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.model.FillMask;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ModelStore;
import dev.infuse.task.probe.ProbeEvaluator;
import dev.infuse.task.probe.ProbeItem;
import dev.infuse.task.probe.ProbeSample;
import dev.infuse.task.probe.ProbeScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on the built-in default: bert-base-uncased is probed on FOLDOC's rare computing terms,
 * a PELT table is built for the rare entities the probes ask about, and the probes run again with it.
 */
@Command(name = "demo", description = "bert-base-uncased on FOLDOC probes, before and after a PELT entity table.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Option(names = "--domain", paramLabel = "DIR", description = "Domain bundle (default: the bundled FOLDOC).")
    Path domain;

    @Option(names = "--probes", paramLabel = "FILE", description = "LAMA probes (default: the FOLDOC benchmark's).")
    Path probes;

    @Range(min = 1)
    @Option(names = "--sample", defaultValue = "20", description = "Use one probe in N, chosen by a hash of its entity (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where the table goes (default: $INFUSE_HOME/demo).")
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        Path repo = Path.of(System.getProperty("infuse.repo", "."));
        Path bundleDir = domain != null ? domain : repo.resolve("data/foldoc/bundle");
        Path probeFile = probes != null ? probes : repo.resolve("data/foldoc/benchmark/probes.jsonl.gz");
        Path out = outputDir != null ? outputDir : Engines.home().resolve("demo");
        if (sample < 1) {
            throw new InfuseException("--sample must be at least 1, got " + sample);
        }
        List<ProbeItem> chosen = ProbeSample.every(probeFile, sample);
        Set<String> rare = new TreeSet<>();
        chosen.stream().filter(p -> p.bucket().equals("rare") && !p.entity().isEmpty()).forEach(p -> rare.add(p.entity()));
        if (rare.isEmpty()) {
            throw new InfuseException(probeFile + ": no probe of the sample names a rare entity (fields \"bucket\" and \"entity\")");
        }
        Files.createDirectories(out);
        Path subset = out.resolve("probes.jsonl");
        ProbeSample.write(chosen, subset);
        Path table = out.resolve("foldoc-rare.pelt");
        System.err.printf("infuse demo: %s on %d FOLDOC probes (%d rare entities), before and after PELT%n",
                ModelStore.BERT_BASE_UNCASED, chosen.size(), rare.size());
        try (MaskedLm lm = MaskedLm.load(ModelStore.BERT_BASE_UNCASED)) {
            FillMaskCommand.print(FillMask.predict(lm, List.of("The capital of France is [MASK]."), 5));
            ProbeEvaluator.Options opts = new ProbeEvaluator.Options(32, false);
            ProbeScores before = new ProbeEvaluator(lm, ProbeEvaluator.plainEncoder(lm.tokenizer()), opts).evaluate(subset);
            PeltOptions po = PeltOptions.defaults().withEntities(rare);
            PeltBuilder.Report r = PeltBuilder.build(lm, DomainBundle.open(bundleDir), po, table, System.err::println);
            EntityTable t = EntityTable.read(table);
            ProbeScores after;
            try (KnowledgeStack pelt = new KnowledgeStack(List.of(new PeltKnowledge.Spec(table, 7f).open(lm, 512, 0)));
                    ProbeEvaluator.Plugged plugged = ProbeEvaluator.plugged(lm, pelt)) {
                after = new ProbeEvaluator(lm, plugged.encoder(), opts).evaluate(subset);
            }
            print(before, after);
            System.out.printf("%nPELT table: %s (%d entities from %d mention windows, %.0f s)%n", table, t.size(), r.windows(), r.seconds());
            System.out.printf("probes used: %s%n", subset);
        }
        return 0;
    }

    static void print(ProbeScores before, ProbeScores after) {
        System.out.printf("%n%-22s %6s   %-15s   %-15s%n", "", "", "without table", "with PELT table");
        System.out.printf("%-22s %6s   %7s %7s   %7s %7s%n", "group", "count", "P@1", "P@10", "P@1", "P@10");
        row("all", before.overall(), after.overall());
        for (String b : before.byBucket().keySet()) {
            row("bucket " + b, before.byBucket().get(b), after.byBucket().get(b));
        }
        for (String rel : before.byRelation().keySet()) {
            row("relation " + rel, before.byRelation().get(rel), after.byRelation().get(rel));
        }
    }

    private static void row(String name, ProbeScores.Metrics b, ProbeScores.Metrics a) {
        System.out.printf("%-22s %6d   %7.3f %7.3f   %7.3f %7.3f%n", name, b.count(), b.pAt1(), b.pAt10(), a.pAt1(), a.pAt10());
    }
}
