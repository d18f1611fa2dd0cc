package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.task.FineTuning;
import dev.infuse.task.FinetuneJob;
import dev.infuse.task.TransferSchedule;
import dev.infuse.task.Transfer;
import dev.infuse.train.MetricsLog;
import dev.infuse.train.ProgressLine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "finetune", description = "Fine-tune a model on a downstream task (ner, typing, relation, classify); keeps the best dev model, its head, label map and logs in --output-dir.")
final class FinetuneCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption.Required model;

    @Option(names = "--task", required = true, description = "ner (CoNLL, or K-BERT's tsv text_a/label), typing (jsonl text/start/end/label), relation (Wiki80/FewRel jsonl), classify (jsonl text/label, or K-BERT's tsv label/text_a).")
    String task;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training data.")
    Path train;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "Dev data for early stopping and model selection.")
    Path dev;

    @Mixin
    RunDirOptions run;

    @Option(names = "--transfer", defaultValue = "full",
            description = "full (train the encoder), or a frozen encoder's embeddings, top layer, or scalar mix of all layers (default ${DEFAULT-VALUE}).")
    String transfer;

    @Range(min = 0)
    @Option(names = "--train-top-layers", paramLabel = "K", defaultValue = "0", description = "With --transfer full: train only the top K encoder layers.")
    int topLayers;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "16", description = "Examples per step (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Range(min = 3)
    @Option(names = "--max-seq-length", defaultValue = "128", description = "Tokens per example, specials included (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--lr", defaultValue = "3e-5", description = "Peak learning rate (default ${DEFAULT-VALUE}; frozen encoders want about 1e-3).")
    float lr;

    @Option(names = "--head-lr", description = "Peak learning rate of the fresh task head (default: --lr). A short run wants it larger, e.g. 1e-3.")
    Float headLr;

    @Range(min = 1)
    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set (default ${DEFAULT-VALUE}).")
    int epochs;

    @Range(min = 0)
    @Option(names = "--max-steps", defaultValue = "0", description = "Optimizer steps instead of --epochs (0: use --epochs).")
    int maxSteps;

    @Range(min = 0)
    @Option(names = "--eval-every", defaultValue = "0", description = "Steps between dev evaluations (default: once per epoch).")
    int evalEvery;

    @Range(min = 1)
    @Option(names = "--patience", defaultValue = "3", description = "Stop after this many dev evaluations without improvement (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--layer-lr-decay", paramLabel = "D", defaultValue = "1",
            description = "Layer-wise rates as ELECTRA: layer i of L learns at lr·D^(L+1-i), the embeddings at lr·D^(L+2) (default ${DEFAULT-VALUE}: off; 0.8 to 0.95 is usual).")
    float layerLrDecay;

    @Option(names = "--unfreeze-every", paramLabel = "N|epoch",
            description = "Gradual unfreezing (ULMFiT): the head alone for N steps (or an epoch), then one more layer from the top every N.")
    String unfreezeEvery;

    @Option(names = "--init-from", paramLabel = "RUN",
            description = "Two-stage fine-tuning: start from this fine-tuned run's encoder (and its head when task and labels agree); it must have started from --model.")
    Path initFrom;

    @Range(min = 0)
    @Option(names = "--average-last", paramLabel = "K", defaultValue = "0",
            description = "Average the weights of the last K dev evaluations into OUT/averaged/ (default ${DEFAULT-VALUE}: off).")
    int averageLast;

    @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Share of steps for linear warm-up (default ${DEFAULT-VALUE}).")
    float warmupRatio;

    @Mixin
    SeedOption seed;

    @Mixin
    EntityTableOptions entityTable;

    @Mixin
    KgOptions kg;

    @Mixin
    AdapterOptions adapter;

    @Mixin
    ErnieOption ernie;

    @Mixin
    KgeConcatOptions kgeConcat;

    @Mixin
    KadapterOption kadapter;

    @Mixin
    JsonOption json;

    /** Every plug-in the flags ask for; their stack decides the order. */
    private List<KnowledgeSpec> knowledge() {
        List<KnowledgeSpec> out = new java.util.ArrayList<>();
        java.util.Optional.ofNullable(entityTable.spec()).ifPresent(out::add);
        java.util.Optional.ofNullable(kg.spec(seed.value)).ifPresent(out::add);
        java.util.Optional.ofNullable(adapter.spec()).ifPresent(out::add);
        java.util.Optional.ofNullable(ernie.spec(model.name)).ifPresent(out::add);
        java.util.Optional.ofNullable(kgeConcat.spec()).ifPresent(out::add);
        java.util.Optional.ofNullable(kadapter.spec()).ifPresent(out::add);
        return out;
    }

    @Override
    public Integer call() {
        if (headLr != null && !(headLr > 0)) { // the job reads 0 as "same as --lr"; typed, it is a mistake
            throw new InfuseException("--head-lr must be positive and finite, found " + headLr);
        }
        Path outputDir = run.dir;
        FinetuneJob job = new FinetuneJob(model.name, task, train, dev, Transfer.parse(transfer), topLayers, batchSize, maxSeqLength, lr,
                epochs, maxSteps, evalEvery, patience, warmupRatio, seed.value, outputDir, run.overwrite, run.resume,
                headLr == null ? 0f : headLr, knowledge(), adapter.trainBackbone,
                new TransferSchedule(layerLrDecay, TransferSchedule.parseUnfreezeEvery(unfreezeEvery), initFrom, averageLast));
        FineTuning.Result r;
        try (MetricsLog metrics = new MetricsLog(outputDir.resolve("metrics.jsonl"))) {
            r = FineTuning.run(job, List.of(metrics, ProgressLine.forStderr("finetune")), System.err);
        }
        if (json.requested) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("output_dir", outputDir.toString());
            o.put("steps", r.steps());
            o.put("best_step", r.bestStep());
            o.put("dev", r.best().all());
            Json.print(o);
        } else {
            System.err.printf("infuse: wrote %s (best dev %s %.4f at step %d)%n", outputDir, r.best().primaryName(), r.best().primary(), r.bestStep());
        }
        return 0;
    }
}
