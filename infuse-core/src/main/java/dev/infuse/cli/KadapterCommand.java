package dev.infuse.cli;

import dev.infuse.inject.kadapter.KadapterConfig;
import dev.infuse.inject.kadapter.KadapterJob;
import dev.infuse.inject.kadapter.KadapterSpec;
import dev.infuse.inject.kadapter.KadapterTraining;
import dev.infuse.inject.kadapter.RelationExamples;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kadapter", description = "K-Adapter's factual adapter: an adapter stack outside the frozen encoder, pretrained by relation classification on a bundle's triples.",
        subcommands = {KadapterCommand.Train.class})
final class KadapterCommand extends GroupCommand {

    @Command(name = "train", description = "Pretrain a factual adapter: corpus sentences that mention both ends of a triple, classified by relation from "
            + "[subject-start ; object-start] of [encoder last ; adapter last], the encoder frozen. --output becomes a relation task model whose "
            + "plug-in is the adapter (kadapter_model.safetensors, kadapter_config.json, task.json), with the held-out sentences (dev.jsonl) and their scores.")
    static final class Train implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption.Required model;

        @Mixin
        DomainOption domain;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The run's directory.")
        Path output;

        @Option(names = "--resume", description = "Continue the run in --output from its last checkpoint.")
        boolean resume;

        @Option(names = "--overwrite", description = "Replace a run already in --output.")
        boolean overwrite;

        @Range(min = 1)
        @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "16", description = "Sentences per step (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Range(min = 8)
        @Option(names = "--max-seq-length", defaultValue = "64", description = "Word pieces per sentence, as the reference (default ${DEFAULT-VALUE}).")
        int maxSeqLength;

        @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate, the reference's (default ${DEFAULT-VALUE}); short runs want more, e.g. 5e-4.")
        float lr;

        @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Share of the steps the rate warms up over (default ${DEFAULT-VALUE}).")
        float warmupRatio;

        @Option(names = "--labels", defaultValue = "relation", paramLabel = "relation|relation+tail-type",
                description = "What a sentence's pair is labelled with: the triple's relation, or the relation and the tail's entity type (default ${DEFAULT-VALUE}).")
        String labels;

        @Range(min = 1)
        @Option(names = "--min-examples", defaultValue = "10", description = "Labels with fewer examples (one per sentence and entity pair) are dropped, and counted (default ${DEFAULT-VALUE}).")
        int minExamples;

        @Option(names = "--adapter-layers", paramLabel = "I,J,K", description = "Hidden states the adapter layers read, 0 the embeddings (default: 0,5,11 for 12 layers, scaled as floor(k (L-1) / 2)).")
        String layers;

        @Range(min = 1)
        @Option(names = "--adapter-size", defaultValue = "" + KadapterConfig.SIZE, description = "Width of the adapter's transformer layers (default ${DEFAULT-VALUE}).")
        int adapterSize;

        @Range(min = 1)
        @Option(names = "--adapter-transformer-layers", defaultValue = "" + KadapterConfig.TRANSFORMER_LAYERS, description = "Transformer layers per adapter layer (default ${DEFAULT-VALUE}).")
        int transformerLayers;

        @Range(min = 1)
        @Option(names = "--adapter-heads", defaultValue = "" + KadapterConfig.HEADS, description = "Their attention heads (default ${DEFAULT-VALUE}).")
        int heads;

        @Range(min = 1)
        @Option(names = "--adapter-intermediate", defaultValue = "" + KadapterConfig.INTERMEDIATE, description = "Their feed-forward width (default ${DEFAULT-VALUE}).")
        int intermediate;

        @Range(min = 0)
        @Option(names = "--save-every", defaultValue = "200", description = "Steps between checkpoints; 0 saves only at the end or when stopped (default ${DEFAULT-VALUE}).")
        int saveEvery;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            KadapterSpec spec = new KadapterSpec(layers == null ? null : parseLayers(layers), adapterSize, transformerLayers, heads, intermediate);
            KadapterJob job = new KadapterJob(model.name, domain.dir, output, spec, RelationExamples.Label.parse(labels), minExamples, steps,
                    batchSize, maxSeqLength, lr, warmupRatio, saveEvery, seed.value, resume, overwrite);
            KadapterTraining.Result r = KadapterTraining.run(job, List.of(), System.err);
            System.err.println("infuse: wrote " + output + " (" + r.kept().size() + " labels, " + r.dropped().size() + " dropped for fewer than "
                    + minExamples + " examples; the encoder unchanged)");
            return 0;
        }

        static List<Integer> parseLayers(String s) {
            try {
                return Arrays.stream(s.split(",", -1)).map(String::trim).map(Integer::parseInt).toList();
            } catch (NumberFormatException e) {
                throw new dev.infuse.InfuseException("--adapter-layers \"" + s + "\" is not a comma-separated list of layer numbers");
            }
        }
    }
}
