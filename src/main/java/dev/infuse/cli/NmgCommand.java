package dev.infuse.cli;

import dev.infuse.inject.nmg.NmgSettings;
import dev.infuse.inject.nmg.NmgTrainJob;
import dev.infuse.inject.nmg.NmgTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nmg", description = "NMG: a masking policy learned by reinforcement learning (Kang et al., EMNLP 2020).",
        subcommands = {NmgCommand.Train.class})
final class NmgCommand extends GroupCommand {

    @Command(name = "train", description = "Meta-train a masking policy by self-play episodes; writes policy.json, policy.safetensors,"
            + " rewards.jsonl and a resumable checkpoint/ into --output-dir, which pretrain --masking nmg:DIR reads.")
    static final class Train implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @Mixin
        DomainOption domain;

        @Option(names = "--task", required = true, arity = "2", paramLabel = "FILE",
                description = "The task's training file (for the probe) and its dev file (the score).")
        List<Path> task;

        @Option(names = "--task-kind", description = "typing, ner, relation or classify (default: ner for .conll files, typing otherwise).")
        String taskKind;

        @Range(min = 1, why = "a policy needs at least one episode")
        @Option(names = "--episodes", required = true, description = "Meta-training episodes.")
        int episodes;

        @Range(min = 1)
        @Option(names = "--steps", defaultValue = "4", description = "Further-pretraining steps per agent and episode (default ${DEFAULT-VALUE}).")
        int steps;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "8", description = "Texts per step (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Range(min = 3)
        @Option(names = "--max-seq-length", defaultValue = "64", description = "Tokens per corpus text, specials included (default ${DEFAULT-VALUE}).")
        int maxSeqLength;

        @Range(min = 1)
        @Option(names = "--train-top-layers", defaultValue = "2", description = "Layers each agent's copy trains (default ${DEFAULT-VALUE}).")
        int topLayers;

        @Option(names = "--lm-lr", defaultValue = "1e-4", description = "The copies' learning rate (default ${DEFAULT-VALUE}).")
        float lmLr;

        @Range(min = 2)
        @Option(names = "--task-train", defaultValue = "200", description = "Task training examples per episode (default ${DEFAULT-VALUE}).")
        int taskTrain;

        @Range(min = 1)
        @Option(names = "--task-dev", defaultValue = "200", description = "Task dev examples per episode (default ${DEFAULT-VALUE}).")
        int taskDev;

        @Range(min = 1)
        @Option(names = "--updates", defaultValue = "10", description = "Actor-critic updates per episode (default ${DEFAULT-VALUE}).")
        int updates;

        @Range(min = 1)
        @Option(names = "--replay-batch", defaultValue = "16", description = "Experiences per update (default ${DEFAULT-VALUE}).")
        int replayBatch;

        @Range(min = 1)
        @Option(names = "--replay-capacity", defaultValue = "512", description = "Experiences replay keeps (default ${DEFAULT-VALUE}).")
        int replayCapacity;

        @Option(names = "--policy-lr", defaultValue = "1e-4", description = "The policy's AdamW learning rate (default ${DEFAULT-VALUE}).")
        float policyLr;

        @Mixin
        RunDirOptions run;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            NmgSettings s = new NmgSettings(episodes, steps, batchSize, maxSeqLength, topLayers, lmLr, taskTrain, taskDev, updates, replayBatch,
                    replayCapacity, policyLr, seed.value);
            String kind = taskKind != null ? taskKind : task.get(0).toString().matches(".*\\.conll(\\.gz)?$") ? "ner" : "typing";
            NmgTraining.run(new NmgTrainJob(model.name, domain.dir, kind, task.get(0), task.get(1), s, run.dir, run.resume, run.overwrite),
                    System.err);
            System.err.println("infuse: wrote the policy into " + run.dir + "; use it with pretrain --masking nmg:" + run.dir);
            return 0;
        }
    }
}
