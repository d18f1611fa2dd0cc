package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.zeo.VectorBuilder;
import dev.infuse.inject.zeo.ZeoPipeline;
import dev.infuse.inject.zeo.ZeoSpec;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "zeo", description = "ZEO: knowledge vectors and contrastive joint training for rare entities.",
        subcommands = {ZeoCommand.Vectors.class, ZeoInstancesCommand.class, ZeoCommand.Run.class})
final class ZeoCommand extends GroupCommand {

    @Command(name = "vectors", description = "Encode each entity's description with the frozen model into a knowledge vector table.")
    static final class Vectors implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @Mixin
        DomainOption domain;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "The vector table to write (safetensors).")
        Path output;

        @Option(names = "--pooling", defaultValue = "mean", description = "mean (over real tokens) or cls (default ${DEFAULT-VALUE}).")
        String pooling;

        @Range(min = 3)
        @Option(names = "--max-seq-length", description = "Description tokens at most, specials included (default: 128, or the model's positions if fewer).")
        Integer maxSeqLength;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "32", description = "Descriptions per forward pass (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Override
        public Integer call() {
            OutputFiles.requireWritable("--output", output, OutputFiles.filesIn(domain.dir));
            VectorBuilder.Pooling p = VectorBuilder.Pooling.parse(pooling);
            DomainBundle bundle = DomainBundle.open(domain.dir);
            try (MaskedLm lm = MaskedLm.load(model.name)) {
                int positions = lm.model().config().maxSequenceLength();
                int length = maxSeqLength != null ? maxSeqLength : Math.min(128, positions);
                VectorBuilder.Options d = VectorBuilder.Options.defaults();
                VectorBuilder.Options options = new VectorBuilder.Options(p, length, batchSize, Math.max(batchSize, d.chunkSize()),
                        d.checkpointSeconds());
                lm.model().config().requireSequenceLength("--max-seq-length", length);
                VectorBuilder.Report r = VectorBuilder.build(lm, bundle, options, output, s -> System.err.println("infuse: " + s));
                System.err.printf("wrote %s: %d knowledge vectors%n", output, r.vectors().size());
            }
            return 0;
        }
    }

    @Command(name = "run", description = "Vectors, instances and joint training in one go, with small defaults for a 2-core CPU; writes vectors.zeo, instances.jsonl and model/ into --output-dir.")
    static final class Run implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @Mixin
        DomainOption domain;

        @Mixin
        RunDirOptions run;

        @Mixin
        ZeoOptions.Instances zeoInstances;

        @Mixin
        ZeoOptions.Loss zeoLoss;

        @Range(min = 1)
        @Option(names = "--max-steps", defaultValue = "200", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
        int maxSteps;

        @Mixin
        SeedOption seed;

        @Option(names = "--probes", paramLabel = "FILE",
                description = "LAMA probes to score the trained model on at the end (FOLDOC's: data/foldoc/benchmark/probes.jsonl.gz).")
        Path probes;

        @Override
        public Integer call() {
            if (probes != null && !java.nio.file.Files.isRegularFile(probes)) {
                throw new dev.infuse.InfuseException("--probes " + probes + " is not a file"); // before an hour of training, not after
            }
            Path outputDir = run.dir;
            new ZeoPipeline(model.name, domain.dir, outputDir, zeoInstances.templates, new ZeoSpec.Settings(zeoLoss.inject, zeoLoss.weight, zeoInstances.negEntity),
                    ZeoPipeline.smallTraining(maxSteps, seed.value), run.resume, run.overwrite).run(System.err);
            System.err.println("infuse: wrote " + outputDir.resolve("model"));
            if (probes != null) {
                try (MaskedLm lm = MaskedLm.load(outputDir.resolve("model").toString())) {
                    dev.infuse.task.probe.ProbeScores s = new dev.infuse.task.probe.ProbeEvaluator(lm,
                            dev.infuse.task.probe.ProbeEvaluator.plainEncoder(lm.tokenizer()),
                            new dev.infuse.task.probe.ProbeEvaluator.Options(32, false)).evaluate(probes);
                    ProbeCommand.print(s);
                }
            }
            return 0;
        }
    }
}
