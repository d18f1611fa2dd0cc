package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.bench.Budget;
import dev.infuse.bench.Comparison;
import dev.infuse.bench.TaskFiles;
import dev.infuse.engine.Engines;
import dev.infuse.task.Transfer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code infuse bench --domain DIR ...} compares knowledge-injection methods on a domain's tasks; the
 * subcommands measure speed.
 */
@Command(name = "bench", description = {"Compare methods on a domain's tasks (--domain), or measure speed (engine, matcher, pelt).",
        "Example: infuse bench --domain data/foldoc/bundle --methods none,pelt,entity-mask,zeo --tasks probe,typing,ner --seeds 3"},
        subcommands = {BenchEngineCommand.class, MatcherBench.class, BenchPeltCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Option(names = "--domain", paramLabel = "DIR", description = "The domain bundle whose methods and tasks to compare.")
    Path domain;

    @Option(names = "--tasks-dir", paramLabel = "DIR", description = "Task files (default: DIR/tasks, or a benchmark/ beside DIR).")
    Path tasksDir;

    @Mixin
    ModelOption model;

    @Option(names = "--methods", split = ",", defaultValue = "none,pelt,entity-mask,zeo",
            description = "Any of none, pelt, kbert (the bundle's triples as a K-BERT graph in the task inputs), token-mask, entity-mask, zeo (= zeo:2), zeo:0, zeo:1, zeo:2 (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--tasks", split = ",", defaultValue = "probe,typing,ner", description = "Any of probe, typing, ner (default ${DEFAULT-VALUE}).")
    List<String> tasks;

    @Range(min = 1)
    @Option(names = "--seeds", defaultValue = "1", description = "How many seeds (--seed, --seed + 1, ...); the report gives mean and spread (default ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin
    SeedOption seed;

    @Option(names = "--reseed-injection", description = "Inject once per seed instead of once in all (costs seeds x the pretraining).")
    boolean reseedInjection;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Report, results and per-method work (default: $INFUSE_HOME/bench/<domain name>).")
    Path outputDir;

    @Range(min = 1)
    @Option(names = "--pretrain-steps", defaultValue = "100", description = "Steps of every pretraining method (default ${DEFAULT-VALUE}).")
    int pretrainSteps;

    @Range(min = 1)
    @Option(names = "--pretrain-batch", defaultValue = "8", description = "Pretraining batch (default ${DEFAULT-VALUE}).")
    int pretrainBatch;

    @Range(min = 3)
    @Option(names = "--pretrain-length", defaultValue = "128", description = "Pretraining tokens per instance (default ${DEFAULT-VALUE}).")
    int pretrainLength;

    @Range(min = 0)
    @Option(names = "--train-top-layers", defaultValue = "4", description = "Encoder layers pretraining updates, from the top (default ${DEFAULT-VALUE}).")
    int topLayers;

    @Option(names = "--pretrain-lr", defaultValue = "5e-5", description = "Pretraining peak learning rate (default ${DEFAULT-VALUE}).")
    float pretrainLr;

    @Range(min = 1)
    @Option(names = "--probe-sample", defaultValue = "10", description = "Keep one probe in N (default ${DEFAULT-VALUE}).")
    int probeSample;

    @Range(min = 0)
    @Option(names = "--train-examples", defaultValue = "1500", description = "Training examples per task, 0 for all (default ${DEFAULT-VALUE}).")
    int trainExamples;

    @Range(min = 0)
    @Option(names = "--dev-examples", defaultValue = "500", description = "Dev examples per task, 0 for all (default ${DEFAULT-VALUE}).")
    int devExamples;

    @Range(min = 0)
    @Option(names = "--test-examples", defaultValue = "1100", description = "Test examples per task, 0 for all (default ${DEFAULT-VALUE}).")
    int testExamples;

    @Option(names = "--transfer", defaultValue = "top",
            description = "How typing and NER read the encoder: a linear probe on frozen top, mix or embeddings features, or adapter (a LoRA and the head fine-tuned per seed, --adapter-steps; default ${DEFAULT-VALUE}).")
    String transfer;

    @Range(min = 1)
    @Option(names = "--adapter-steps", defaultValue = "200", description = "With --transfer adapter: fine-tuning steps per task cell (default ${DEFAULT-VALUE}).")
    int adapterSteps;

    @Range(min = 3)
    @Option(names = "--max-seq-length", defaultValue = "80", description = "Task example tokens, specials included (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--pelt-entities", defaultValue = "rare", description = "rare or all: which named entities get PELT rows (default ${DEFAULT-VALUE}).")
    String peltEntities;

    @Option(names = "--norm", defaultValue = "7", description = "Norm of plugged PELT vectors (default ${DEFAULT-VALUE}).")
    float norm;

    @Range(min = 3)
    @Option(names = "--vector-length", defaultValue = "64", description = "ZEO description tokens per knowledge vector (default ${DEFAULT-VALUE}).")
    int vectorLength;

    @Option(names = "--contrastive-weight", defaultValue = "1.0", description = "ZEO inject 2's triplet weight (default ${DEFAULT-VALUE}).")
    float contrastiveWeight;

    @Override
    public Integer call() {
        if (domain == null) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
        if (seeds < 1) {
            throw new InfuseException("--seeds must be at least 1, got " + seeds);
        }
        if (!peltEntities.equals("rare") && !peltEntities.equals("all")) {
            throw new InfuseException("--pelt-entities must be rare or all, got \"" + peltEntities + "\"");
        }
        Budget budget = new Budget(pretrainSteps, pretrainBatch, pretrainLength, topLayers, pretrainLr,
                probeSample, trainExamples, devExamples, testExamples, transfer.equals("adapter") ? Transfer.TOP : Transfer.parse(transfer), maxSeqLength,
                peltEntities.equals("rare"), norm, vectorLength, contrastiveWeight, transfer.equals("adapter") ? adapterSteps : 0);
        Path out = outputDir != null ? outputDir
                : Engines.home().resolve("bench").resolve(domain.toAbsolutePath().normalize().getFileName().toString());
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(seed.value + i);
        }
        String command = "infuse " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        try {
            new Comparison(model.name, domain, TaskFiles.locate(domain, tasksDir), methods, tasks, seedList,
                    reseedInjection, budget, out, command).run(System.err);
        } catch (dev.infuse.io.Stopped stop) {
            // bench has no --resume: a rerun reuses finished cells and injections and resumes a pretraining's checkpoint.
            throw stop.instead("finished work is kept in " + out + "; rerun the same command to continue");
        }
        System.err.println("infuse bench: wrote " + out.resolve("report.md") + ", results.csv and chart.png");
        System.out.println(out.resolve("report.md"));
        return 0;
    }
}
