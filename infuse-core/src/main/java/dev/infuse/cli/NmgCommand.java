package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.nmg.MaskedWords;
import dev.infuse.inject.nmg.NmgSettings;
import dev.infuse.inject.nmg.PolicyConfig;
import dev.infuse.inject.nmg.PolicyFiles;
import dev.infuse.inject.nmg.PolicyNet;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.data.BundleCorpus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import dev.infuse.inject.nmg.NmgTrainJob;
import dev.infuse.inject.nmg.NmgTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nmg", description = "NMG: a masking policy learned by reinforcement learning (Kang et al., EMNLP 2020).",
        subcommands = {NmgCommand.Train.class, NmgCommand.Words.class})
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

    @Command(name = "words", description = "The words a trained policy masks most often (top-k, as at use) against how often they occur,"
            + " over texts drawn from the domain's corpus.")
    static final class Words implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @Mixin
        DomainOption domain;

        @Option(names = "--policy", required = true, paramLabel = "DIR", description = "The --output-dir of infuse nmg train.")
        Path policy;

        @Range(min = 1)
        @Option(names = "--texts", defaultValue = "2000", description = "Corpus texts to mask, drawn with --seed (default ${DEFAULT-VALUE}).")
        int texts;

        @Range(min = 1)
        @Option(names = "--top", defaultValue = "30", description = "Words to list (default ${DEFAULT-VALUE}).")
        int top;

        @Range(min = 3)
        @Option(names = "--max-seq-length", defaultValue = "64", description = "Tokens per text, specials included (default ${DEFAULT-VALUE}).")
        int maxSeqLength;

        @Range(min = 1)
        @Option(names = "--batch-size", defaultValue = "16", description = "Texts per forward pass (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Mixin
        SeedOption seed;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            MaskedWords.Result r;
            try (MaskedLm lm = MaskedLm.load(model.name)) {
                PolicyConfig c = PolicyFiles.config(policy, lm.model().config(), lm.fingerprint());
                List<TokenInstance> all = NmgTraining.texts(new BundleCorpus(DomainBundle.open(domain.dir)), lm, maxSeqLength,
                        NmgTraining.MAX_TEXTS);
                List<TokenInstance> drawn = NmgTraining.draw(all, texts, seed.value);
                try (PolicyNet net = PolicyFiles.load(policy, c, PolicyFiles.PREFIX)) {
                    r = MaskedWords.count(lm.model(), lm.tokenizer(), net, drawn, batchSize, top);
                }
            }
            if (json.requested) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("texts", r.texts());
                o.put("picks", r.totalPicks());
                o.put("words", r.totalWords());
                o.put("top", r.counts());
                Json.print(o);
                return 0;
            }
            System.out.println("rank\tword\tpicks\tpick_share\toccurrences\tcorpus_share\tratio");
            for (int i = 0; i < r.counts().size(); i++) {
                MaskedWords.Count w = r.counts().get(i);
                double pick = (double) w.picks() / r.totalPicks();
                double corpus = (double) w.occurrences() / r.totalWords();
                System.out.printf(Locale.ROOT, "%d\t%s\t%d\t%.4f\t%d\t%.4f\t%.2f%n", i + 1, w.word(), w.picks(), pick, w.occurrences(), corpus,
                        pick / corpus);
            }
            System.err.printf(Locale.ROOT, "infuse: %d texts, %d words, %d picked%n", r.texts(), r.totalWords(), r.totalPicks());
            return 0;
        }
    }
}
