package dev.infuse.cli;

import dev.infuse.task.MultiTask;
import dev.infuse.task.MultiTaskJob;
import dev.infuse.train.MetricsLog;
import dev.infuse.train.ProgressLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "multitask", description = "Fine-tune one encoder on several tasks at once, a head per task; batches drawn by task size^tau; "
        + "early stopping on the mean dev score; each head saved with the encoder as its own task model in OUT/<task>/.")
final class MultiTaskCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption.Required model;

    @Option(names = "--task", required = true, paramLabel = "KIND=TRAIN,DEV",
            description = "A task and its data, e.g. ner=train.conll,dev.conll; give two or more (ner, typing, relation, classify).")
    List<String> tasks;

    @Mixin
    RunDirOptions run;

    @Option(names = "--tau", defaultValue = "1", description = "Batches come from task k with probability ∝ size_k^tau (default ${DEFAULT-VALUE}; 0: uniform).")
    float tau;

    @Range(min = 0)
    @Option(names = "--train-top-layers", paramLabel = "K", defaultValue = "0", description = "Train only the top K encoder layers (default: all).")
    int topLayers;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "16", description = "Examples per step (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Range(min = 3)
    @Option(names = "--max-seq-length", defaultValue = "128", description = "Tokens per example, specials included (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--lr", defaultValue = "3e-5", description = "Peak learning rate of the encoder (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--head-lr", defaultValue = "1e-3", description = "Peak learning rate of the heads (default ${DEFAULT-VALUE}).")
    float headLr;

    @Range(min = 1)
    @Option(names = "--max-steps", required = true, description = "Optimizer steps over all tasks together.")
    int maxSteps;

    @Range(min = 1)
    @Option(names = "--eval-every", required = true, description = "Steps between dev evaluations of every task.")
    int evalEvery;

    @Range(min = 1)
    @Option(names = "--patience", defaultValue = "3", description = "Stop after this many evaluations without a better mean (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Share of steps for linear warm-up (default ${DEFAULT-VALUE}).")
    float warmupRatio;

    @Mixin
    SeedOption seed;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        MultiTaskJob job = new MultiTaskJob(model.name, tasks.stream().map(MultiTaskJob.Part::parse).toList(), tau, topLayers, batchSize,
                maxSeqLength, lr, headLr, maxSteps, evalEvery, patience, warmupRatio, seed.value, run.dir, run.overwrite, run.resume);
        MultiTask.Result r;
        try (MetricsLog metrics = new MetricsLog(run.dir.resolve("metrics.jsonl"))) {
            r = MultiTask.run(job, List.of(metrics, ProgressLine.forStderr("multitask")), System.err);
        }
        if (json.requested) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("output_dir", run.dir.toString());
            o.put("steps", r.steps());
            o.put("best_step", r.bestStep());
            o.put("dev", r.best().all());
            Json.print(o);
        } else {
            System.err.printf("infuse: wrote %s (best mean dev %.4f at step %d)%n", run.dir, r.best().primary(), r.bestStep());
        }
        return 0;
    }
}
