package dev.infuse.bench;

import dev.infuse.bench.methods.InjectionMethods;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.FineTuning;
import dev.infuse.task.FinetuneJob;
import dev.infuse.task.FrozenFeatures;
import dev.infuse.task.Labels;
import dev.infuse.task.LinearProbe;
import dev.infuse.task.Predictor;
import dev.infuse.task.Scores;
import dev.infuse.task.TaskHead;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.Transfer;
import dev.infuse.task.probe.ProbeEvaluator;
import dev.infuse.task.probe.ProbeScores;
import dev.infuse.train.ProgressLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs one task on one injected model and turns its scores into {@link Measurement}s. */
final class TaskRunner {
    private TaskRunner() {}

    /**
     * P@1, P@10 and MRR overall and per bucket; probes are deterministic, so one seed stands for all. Plug-ins
     * that rearrange rows (K-BERT's tree) are left out: a cloze probe asks the masked LM itself, and a tree only
     * shapes fine-tuning inputs.
     */
    static List<Measurement> probe(String method, Injection.Injected in, Path probes, Budget budget, long seed) {
        List<Measurement> out = new ArrayList<>();
        try (MaskedLm lm = MaskedLm.load(in.model()); KnowledgeStack stack = open(in, lm, budget.maxSeqLength(), seed, true)) {
            ProbeEvaluator.Options o = new ProbeEvaluator.Options(32, false);
            ProbeScores s;
            try (ProbeEvaluator.Plugged plugged = ProbeEvaluator.plugged(lm, stack)) {
                s = new ProbeEvaluator(lm, plugged.encoder(), o).evaluate(probes);
            }
            addProbe(out, method, "all", s.overall(), seed);
            s.byBucket().forEach((b, m) -> addProbe(out, method, b, m, seed));
        }
        return out;
    }

    private static void addProbe(List<Measurement> out, String method, String bucket, ProbeScores.Metrics m, long seed) {
        out.add(new Measurement(method, "probe", "p@1", bucket, seed, m.pAt1()));
        out.add(new Measurement(method, "probe", "p@10", bucket, seed, m.pAt10()));
        out.add(new Measurement(method, "probe", "mrr", bucket, seed, m.mrr()));
    }

    /** Typing or NER: features once, then a linear probe per seed, scored on the test split. */
    static List<Measurement> classify(String method, String task, Injection.Injected in, TaskSet train, TaskSet dev, TaskSet test,
            Budget budget, List<Long> seeds) {
        List<Measurement> out = new ArrayList<>();
        Labels labels = new Labels(train.labelsInOrder());
        MaskedLm lm = MaskedLm.load(in.model());
        int layers = lm.model().config().numHiddenLayers();
        int groups = Tasks.groups(task);
        TaskHead shape = null;
        KnowledgeStack stack = null;
        TaskModel built;
        try {
            stack = open(in, lm, budget.maxSeqLength(), seeds.get(0), false);
            // The head here only fixes the shapes (its width is the plug-ins' to say); each seed trains its own on the cached features.
            shape = TaskHead.random(stack.headWidth(lm.model().config().hiddenSize()), layers, groups, labels.size(), budget.transfer(), 0);
            built = new TaskModel(lm, shape, task, labels, budget.transfer(), budget.maxSeqLength(), stack);
        } catch (RuntimeException e) {
            if (stack != null) {
                stack.close();
            }
            if (shape != null) {
                shape.close();
            }
            lm.close();
            throw e;
        }
        try (TaskModel m = built) {
            FrozenFeatures ftrain = FrozenFeatures.extract(m, train, 32, method + " " + task + " train");
            m.knowledgeReport(task + " train").forEach(System.err::println);
            FrozenFeatures fdev = FrozenFeatures.extract(m, dev, 32, method + " " + task + " dev");
            m.knowledgeReport(task + " dev").forEach(System.err::println);
            FrozenFeatures ftest = FrozenFeatures.extract(m, test, 32, method + " " + task + " test");
            m.knowledgeReport(task + " test").forEach(System.err::println);
            for (long seed : seeds) {
                LinearProbe.Result r = LinearProbe.run(ftrain, fdev, dev, ftest, test, labels, budget.transfer(), groups,
                        LinearProbe.Options.defaults(), seed);
                add(out, method, task, r.test(), seed);
            }
        }
        return out;
    }

    /**
     * {@code --transfer adapter}: per seed, a LoRA and the head fine-tuned on the frozen encoder with the method's
     * plug-ins (an adapter of the method's own stays, and the task's LoRA sits beside it), the best dev
     * evaluation kept, scored on test. What the K-BERT and ZEO papers claim is about fine-tuned models, which a
     * linear probe on frozen features cannot show.
     *
     * @param trainFile, devFile the files the sets were read from: they name the data in each run's identity
     * @param work where each seed's run goes; a finished run is read again, a killed one resumes
     */
    static List<Measurement> adapterCells(String method, String task, Injection.Injected in, TaskSet train, TaskSet dev, TaskSet test,
            Path trainFile, Path devFile, Budget budget, List<Long> seeds, Path work) {
        List<Measurement> out = new ArrayList<>();
        for (long seed : seeds) {
            Path dir = work.resolve("seed-" + seed);
            List<KnowledgeSpec> knowledge = new ArrayList<>(in.knowledge());
            knowledge.add(InjectionMethods.transferAdapter());
            int steps = budget.adapterSteps();
            FinetuneJob job = new FinetuneJob(in.model(), task, trainFile, devFile, Transfer.FULL, 0, 16, budget.maxSeqLength(), 1e-3f, 1,
                    steps, Math.max(1, steps / 4), 100, 0.1f, seed, dir, false, Files.exists(dir.resolve("checkpoint")), 0f, knowledge);
            if (!Files.exists(dir.resolve(TaskModel.TASK_FILE)) || Files.exists(dir.resolve("checkpoint"))) {
                FineTuning.run(job, train, dev, List.of(ProgressLine.forStderr(method + " " + task + " s" + seed)), System.err);
            }
            try (TaskModel m = TaskModel.load(dir)) {
                add(out, method, task, Predictor.evaluate(m, test, 32, System.err), seed);
            }
        }
        return out;
    }

    /** The method's plug-ins opened on {@code lm}; {@code masked} leaves out those that rearrange rows. */
    private static KnowledgeStack open(Injection.Injected in, MaskedLm lm, int maxSeqLength, long seed, boolean masked) {
        List<Knowledge> plugins = new ArrayList<>();
        try {
            for (KnowledgeSpec spec : in.knowledge()) {
                Knowledge k = spec.open(lm, maxSeqLength, seed);
                if (masked && k.rowRole() == Knowledge.RowRole.REARRANGES) {
                    k.close();
                } else {
                    plugins.add(k);
                }
            }
            return new KnowledgeStack(plugins);
        } catch (RuntimeException e) {
            plugins.forEach(Knowledge::close);
            throw e;
        }
    }

    /** The primary metric and its companions, overall and per bucket where the task has buckets. */
    static void add(List<Measurement> out, String method, String task, Scores s, long seed) {
        addAll(out, method, task, "all", s.all(), seed);
        if (s.all().get("per_bucket") instanceof Map<?, ?> per) {
            per.forEach((b, m) -> addAll(out, method, task, String.valueOf(b), (Map<?, ?>) m, seed));
        }
    }

    private static void addAll(List<Measurement> out, String method, String task, String bucket, Map<?, ?> m, long seed) {
        for (String k : List.of("accuracy", "macro_f1", "f1", "precision", "recall")) {
            if (m.get(k) instanceof Number n) {
                out.add(new Measurement(method, task, k, bucket, seed, n.doubleValue()));
            }
        }
    }
}
