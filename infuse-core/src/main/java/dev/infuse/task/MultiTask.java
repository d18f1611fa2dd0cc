package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.io.Provenance;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ParameterOwner;
import dev.infuse.model.ParameterSpec;
import dev.infuse.train.AdamW;
import dev.infuse.train.BatchLoss;
import dev.infuse.train.EpochBatches;
import dev.infuse.train.Freeze;
import dev.infuse.train.LoopSettings;
import dev.infuse.train.Losses;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.OutputDir;
import dev.infuse.train.ResumeHint;
import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.TrainListener;
import dev.infuse.train.Trainables;
import dev.infuse.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Multi-task fine-tuning: one encoder, one head per task, trained by the one {@link Trainer} on batches drawn by
 * {@link TaskSampler}. Dev is scored for every task at each evaluation, and early stopping ranks by the mean of
 * the tasks' primary scores; at the best mean, every task's head is saved with the encoder as its own task model
 * in {@code OUT/<task>/}, which {@code eval} and {@code predict} read as any fine-tuned run.
 */
public final class MultiTask {
    /** @param best the best mean dev score, and each task's at that evaluation */
    public record Result(Scores best, long bestStep, long steps) {}

    /** The key under which a mean's scores keep each task's primary score. */
    static final String PRIMARY = "primary";

    private MultiTask() {}

    /** A task's head under names of its own ({@code ner.classifier.weight}), so heads never clash in the checkpoint. */
    record Named(String prefix, ParameterOwner owner) implements ParameterOwner {
        @Override
        public Map<String, NDArray> parameters() {
            Map<String, NDArray> m = new LinkedHashMap<>();
            owner.parameters().forEach((k, v) -> m.put(prefix + k, v));
            return m;
        }

        @Override
        public boolean decays(String name) {
            return owner.decays(name.substring(prefix.length()));
        }
    }

    public static Result run(MultiTaskJob job, List<TrainListener> listeners, PrintStream log) {
        Map<String, Object> identity = new LinkedHashMap<>(job.settings());
        identity.put("model", job.model());
        Set<String> ours = new HashSet<>(Set.of("dev_scores.jsonl"));
        List<TaskSet> trains = new ArrayList<>();
        List<TaskSet> devs = new ArrayList<>();
        for (MultiTaskJob.Part p : job.parts()) {
            identity.put(p.task() + "-train-sha256", Provenance.sha256(p.train()));
            identity.put(p.task() + "-dev-sha256", Provenance.sha256(p.dev()));
            ours.add(p.task());
            TaskSet train = Tasks.read(p.task(), p.train());
            TaskSet dev = Tasks.read(p.task(), p.dev());
            if (train.size() == 0 || dev.size() == 0) {
                throw new InfuseException("--task " + p.task() + ": " + (train.size() == 0 ? p.train() : p.dev()) + " has no examples");
            }
            trains.add(train);
            devs.add(dev);
        }
        try (OutputDir.Run run = OutputDir.prepare(job.outputDir(), ours, identity, job.resume(), job.overwrite(), log)) {
            Result r = run(job, trains, devs, identity, run.resumeFrom(), listeners, log);
            run.finish();
            return r;
        }
    }

    private static Result run(MultiTaskJob job, List<TaskSet> trains, List<TaskSet> devs, Map<String, Object> identity, Path resumeFrom,
            List<TrainListener> listeners, PrintStream log) {
        MaskedLm lm = MaskedLm.load(job.model());
        if (resumeFrom != null) {
            BertModel restored = TrainCheckpoint.readModel(resumeFrom);
            lm.model().close();
            lm = new MaskedLm(restored, lm.tokenizer(), resumeFrom.toString());
        }
        BertConfig c = lm.model().config();
        List<TaskModel> models = new ArrayList<>(); // share lm; closed through their heads, and lm once
        try {
            c.requireSequenceLength("--max-seq-length", job.maxSeqLength());
            for (int k = 0; k < job.parts().size(); k++) {
                String task = job.parts().get(k).task();
                Labels labels = new Labels(trains.get(k).labelsInOrder());
                TaskHead head = TaskHead.random(c.hiddenSize(), c.numHiddenLayers(), Tasks.groups(task), labels.size(), Transfer.FULL, job.seed() + k);
                models.add(new TaskModel(lm, head, task, labels, Transfer.FULL, job.maxSeqLength(), KnowledgeStack.NONE));
            }
            return train(job, lm, models, trains, devs, identity, resumeFrom, listeners, log);
        } finally {
            models.forEach(m -> m.head().close());
            lm.close();
        }
    }

    private static Result train(MultiTaskJob job, MaskedLm lm, List<TaskModel> models, List<TaskSet> trains, List<TaskSet> devs,
            Map<String, Object> identity, Path resumeFrom, List<TrainListener> listeners, PrintStream log) {
        BertModel encoder = lm.model();
        Set<String> open = new Freeze(job.topLayers(), false).trainable(encoder.config());
        String prefix = ParameterSpec.prefix(encoder.config());
        Trainables params = new Trainables().encoder(encoder, n -> open.contains(n) && n.startsWith(prefix));
        List<EpochBatches<TaskBatch>> sources = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int k = 0; k < models.size(); k++) {
            TaskModel m = models.get(k);
            params.module(new Named(m.task() + ".", m.head()), job.headLr() / job.lr());
            List<Encoded> data = new ArrayList<>();
            TaskSet set = trains.get(k);
            for (int i = 0; i < set.size(); i++) {
                Encoded e = set.encode(i, m.encoder(), job.maxSeqLength(), m.labels());
                if (!e.targets().isEmpty()) {
                    data.add(e);
                }
            }
            if (data.isEmpty()) {
                throw new InfuseException("--task " + m.task() + ": no example has a target inside --max-seq-length " + job.maxSeqLength());
            }
            List<Integer> lengths = data.stream().map(e -> e.row().length()).toList();
            long taskSeed = job.seed() * 1_000_003L + k * 7_919L;
            sources.add(new EpochBatches<>(data.size(), job.batchSize(), 0,
                    epoch -> LengthBatches.shuffledOrder(lengths, job.batchSize(), new Random(taskSeed + epoch)),
                    indices -> new TaskBatch(indices.stream().map(data::get).toList())));
            sizes.add(data.size());
        }
        log.println("infuse: " + params.share(encoder, models.stream().map(TaskModel::head).toArray(ParameterOwner[]::new)));
        TaskSampler sampler = new TaskSampler(sources, sizes, job.tau(), job.seed());
        LoopSettings loop = new LoopSettings(job.maxSteps(), job.lr(), Math.round(job.warmupRatio() * job.maxSteps()), LrSchedule.Kind.LINEAR, 1f, 1,
                0.01f, job.seed());
        try (AdamW adam = new AdamW(loop.optimizer())) {
            DevEvaluation.Start start = resumeFrom == null ? DevEvaluation.Start.FRESH
                    : DevEvaluation.resume(resumeFrom, job.maxSteps(), params, adam, sampler, job.outputDir(), log);
            DevEvaluation eval = new DevEvaluation(warn -> mean(models, devs, job.batchSize() * 2, warn), job.evalEvery(), job.patience(), start.state(),
                    new DevEvaluation.Checkpointing(job.outputDir(), encoder, params, adam, identity), (s, step) -> save(job, models, s, step), log);
            List<TrainListener> all = new ArrayList<>(listeners);
            all.add(eval);
            BatchLoss<TaskSampler.Tagged> loss = (s, b, training) -> Losses.crossEntropy(models.get(b.task()).logits(s, b.batch().examples(), training),
                    Tensors.copyOf(s, b.batch().gold(), new Shape(b.batch().predicted()))); // ()
            long steps;
            try {
                steps = new Trainer<>(params, loss, sampler, loop, adam, all).run(start.step());
            } catch (Stopped stop) {
                throw stop.then(ResumeHint.of(job.outputDir()));
            }
            TrainCheckpoint.clear(job.outputDir());
            return new Result(eval.state().best(), eval.state().bestStep(), steps);
        }
    }

    /** Every task's dev scores, ranked by the mean of their primary scores. */
    static Scores mean(List<TaskModel> models, List<TaskSet> devs, int batchSize, PrintStream warn) {
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, Double> primary = new LinkedHashMap<>();
        double sum = 0;
        for (int k = 0; k < models.size(); k++) {
            Scores s = Predictor.evaluate(models.get(k), devs.get(k), batchSize, warn);
            all.put(models.get(k).task(), s.all());
            primary.put(models.get(k).task(), s.primary());
            sum += s.primary();
        }
        all.put(PRIMARY, primary);
        return new Scores("mean", sum / models.size(), all);
    }

    /** At a better mean: each task's head with the encoder, as a task model of its own. */
    private static void save(MultiTaskJob job, List<TaskModel> models, Scores s, long step) {
        try (StopSignal.Writing w = StopSignal.writing()) {
            for (int k = 0; k < models.size(); k++) {
                MultiTaskJob.Part part = job.parts().get(k);
                Provenance p = Provenance.of("finetuned-model").input("base_model", job.model()).input("train", part.train().toString())
                        .input("train_sha256", Provenance.sha256(part.train())).input("dev", part.dev().toString())
                        .input("dev_sha256", Provenance.sha256(part.dev()));
                job.settings().forEach(p::setting);
                p.setting("best_step", step).setting("dev_mean", s.primary()).setting("dev_" + part.task(),
                        ((Map<?, ?>) s.all().get(PRIMARY)).get(part.task()));
                models.get(k).save(job.outputDir().resolve(part.task()), p, job.model(), true);
            }
        }
    }
}
