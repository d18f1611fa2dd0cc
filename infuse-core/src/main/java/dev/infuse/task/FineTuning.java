package dev.infuse.task;

import dev.infuse.io.AtomicFiles;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.io.Provenance;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Fine-tunes a model on one task: encoder (whole, top K layers, or frozen) plus a fresh head, trained by the
 * one {@link Trainer} with length-grouped epochs of batches and the head's cross-entropy as the loss.
 * {@link DevEvaluation} scores dev every {@code evalEvery} steps, keeps the best model in the output
 * directory, checkpoints, and stops after {@code patience} evaluations without improvement.
 */
public final class FineTuning {
    /** @param history one entry per dev evaluation of this process: step and scores */
    public record Result(Scores best, long bestStep, long steps, List<Map<String, Object>> history) {}

    private FineTuning() {}

    public static Result run(FinetuneJob job, List<TrainListener> listeners, PrintStream log) {
        return run(job, Tasks.read(job.task(), job.train()), Tasks.read(job.task(), job.dev()), listeners, log);
    }

    /**
     * The same on sets already read (a comparison's subsets of {@code job.train()} and {@code job.dev()}, whose
     * files then only name the data in the run's identity and provenance).
     */
    public static Result run(FinetuneJob job, TaskSet train, TaskSet dev, List<TrainListener> listeners, PrintStream log) {
        if (train.size() == 0) {
            throw new InfuseException("--train " + job.train() + " has no examples");
        }
        if (dev.size() == 0) {
            throw new InfuseException("--dev " + job.dev() + " has no examples; early stopping needs a dev set");
        }
        Map<String, Object> identity = new LinkedHashMap<>(job.settings());
        identity.put("model", job.model());
        identity.put("train-sha256", Provenance.sha256(job.train()));
        identity.put("dev-sha256", Provenance.sha256(job.dev()));
        if (job.schedule().initFrom() != null) { // the first stage's weights, so a resume from another first stage is refused
            InitFrom.checkBase(job.schedule().initFrom(), job.model());
            for (String f : List.of(TaskModel.TASK_FILE, "model.safetensors", TaskModel.HEAD_FILE)) {
                Path p = job.schedule().initFrom().resolve(f);
                if (java.nio.file.Files.isRegularFile(p)) {
                    identity.put("init-from-" + f + "-sha256", Provenance.sha256(p));
                }
            }
        }
        // Each plug-in's settings and input hashes: a resume with another graph, table or adapter size is refused.
        job.knowledge().forEach(k -> identity.putAll(k.identity()));
        Set<String> ours = new java.util.HashSet<>(FinetuneOutput.OURS);
        ours.addAll(Set.of(CheckpointAverage.DIR, CheckpointAverage.AVERAGED, CheckpointAverage.AVERAGED + ".tmp"));
        job.knowledge().forEach(k -> ours.addAll(k.files()));
        try (OutputDir.Run run = OutputDir.prepare(job.outputDir(), ours, identity, job.resume(), job.overwrite(), log)) {
            Result r = run(job, train, dev, identity, run.resumeFrom(), listeners, log);
            run.finish();
            return r;
        }
    }

    private static Result run(FinetuneJob job, TaskSet train, TaskSet dev, Map<String, Object> identity, Path resumeFrom,
            List<TrainListener> listeners, PrintStream log) {
        Labels labels = new Labels(train.labelsInOrder());
        MaskedLm lm = MaskedLm.load(job.model());
        BertConfig c = lm.model().config();
        List<Knowledge> plugins = new ArrayList<>();
        try {
            c.requireSequenceLength("--max-seq-length", job.maxSeqLength());
            for (int i = 0; i < job.knowledge().size(); i++) { // opened on the base model: a table is checked against it
                plugins.add(job.knowledge().get(i).open(lm, job.maxSeqLength(), job.seed() * 31 + i));
            }
        } catch (RuntimeException e) {
            plugins.forEach(Knowledge::close);
            lm.close();
            throw e;
        }
        if (resumeFrom != null) { // weights from the checkpoint; tokenizer (and the plug-ins' checks above) from the base model
            BertModel restored = TrainCheckpoint.readModel(resumeFrom);
            lm.model().close();
            lm = new MaskedLm(restored, lm.tokenizer(), resumeFrom.toString());
        }
        TaskHead head = null;
        TaskModel built;
        try {
            KnowledgeStack stack = new KnowledgeStack(plugins); // its output modules, if any, decide the head's width
            head = TaskHead.random(stack.headWidth(c.hiddenSize()), c.numHiddenLayers(), Tasks.groups(job.task()), labels.size(), job.transfer(),
                    job.seed());
            if (resumeFrom == null && job.schedule().initFrom() != null) { // on resume the checkpoint holds the weights
                initFrom(job.schedule().initFrom(), lm, head, job.task(), labels, log);
            }
            built = new TaskModel(lm, head, job.task(), labels, job.transfer(), job.maxSeqLength(), stack);
        } catch (RuntimeException e) {
            plugins.forEach(Knowledge::close);
            if (head != null) {
                head.close();
            }
            lm.close();
            throw e;
        }
        try (TaskModel model = built) {
            List<Encoded> data = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                Encoded e = train.encode(i, model.encoder(), job.maxSeqLength(), labels);
                if (!e.targets().isEmpty()) {
                    data.add(e);
                }
            }
            model.knowledgeReport("training").forEach(log::println);
            if (data.isEmpty()) {
                throw new InfuseException("--train " + job.train() + ": no example has a target inside --max-seq-length " + job.maxSeqLength());
            }
            Result r = train(job, model, data, dev, resumeFrom, identity, listeners, log);
            TrainCheckpoint.clear(job.outputDir()); // the best model is already in the directory
            return r;
        }
    }

    private static Result train(FinetuneJob job, TaskModel model, List<Encoded> data, TaskSet dev, Path resumeFrom,
            Map<String, Object> identity, List<TrainListener> listeners, PrintStream log) {
        BertModel encoder = model.lm().model();
        // The MLM head and pooler get no gradient from a task loss; leaving them out keeps weight decay off them.
        Set<String> open = encoderTrains(job, model) ? new Freeze(job.topLayers(), false).trainable(encoder.config()) : Set.of();
        String prefix = ParameterSpec.prefix(encoder.config());
        TransferSchedule schedule = job.schedule();
        Trainables params = new Trainables().encoder(encoder, n -> open.contains(n) && n.startsWith(prefix), n -> schedule.lrScale(encoder.config(), n))
                .module(model.head(), job.headPeakLr() / job.lr());
        model.knowledge().outputModules().forEach(params::module); // modules after the encoder train as its hooks do
        List<dev.infuse.model.ParameterOwner> counted = new ArrayList<>(List.of(model.head()));
        counted.addAll(model.knowledge().outputModules());
        log.println("infuse: " + params.share(encoder, counted.toArray(dev.infuse.model.ParameterOwner[]::new)));
        List<Integer> lengths = data.stream().map(e -> e.row().length()).toList();
        // Each epoch shuffled, then grouped by length so a batch pads little (LengthBatches); the order comes from (seed, epoch).
        EpochBatches<TaskBatch> batches = new EpochBatches<>(data.size(), job.batchSize(), 0,
                epoch -> LengthBatches.shuffledOrder(lengths, job.batchSize(), new Random(job.seed() * 1_000_003L + epoch)),
                indices -> new TaskBatch(indices.stream().map(data::get).toList()));
        int maxSteps = job.maxSteps() > 0 ? job.maxSteps() : batches.perEpoch() * job.epochs();
        int evalEvery = job.evalEvery() > 0 ? job.evalEvery() : batches.perEpoch();
        if (schedule.unfreezes()) {
            long every = schedule.unfreezeEvery() == TransferSchedule.EPOCH ? batches.perEpoch() : schedule.unfreezeEvery();
            params.unfreezing(n -> encoder.parameters().containsKey(n) ? TransferSchedule.unfrozenFrom(encoder.config(), n, every) : 0);
            log.println("infuse: gradual unfreezing: the head alone for " + every + " steps, then one more layer from the top every " + every);
        }
        LoopSettings loop = new LoopSettings(maxSteps, job.lr(), Math.round(job.warmupRatio() * maxSteps), LrSchedule.Kind.LINEAR, 1f, 1,
                0.01f, job.seed());
        try (AdamW adam = new AdamW(loop.optimizer())) {
            DevEvaluation.Start start = resumeFrom == null ? DevEvaluation.Start.FRESH
                    : DevEvaluation.resume(resumeFrom, maxSteps, params, adam, batches, job.outputDir(), log);
            CheckpointAverage.truncateAfter(job.outputDir(), start.step());
            DevEvaluation eval = new DevEvaluation(model, dev, job.batchSize() * 2, evalEvery, job.patience(), start.state(),
                    new DevEvaluation.Checkpointing(job.outputDir(), encoder, params, adam, identity), (s, step) -> save(job, model, s, step), log);
            List<TrainListener> all = new ArrayList<>(listeners);
            all.add(eval);
            CheckpointAverage averaging = schedule.averageLast() > 0
                    ? new CheckpointAverage(job.outputDir(), params.trained(), evalEvery, schedule.averageLast()) : null;
            if (averaging != null) {
                all.add(0, averaging); // before the dev evaluation, which may stop the run at this step
            }
            BatchLoss<TaskBatch> loss = (s, batch, training) -> Losses.crossEntropy(model.logits(s, batch.examples(), training),
                    Tensors.copyOf(s, batch.gold(), new Shape(batch.predicted()))); // ()
            long steps;
            try {
                steps = new Trainer<>(params, loss, batches, loop, adam, all).run(start.step());
            } catch (Stopped stop) {
                throw stop.then(ResumeHint.of(job.outputDir()));
            }
            if (averaging != null) {
                averaged(job, model, dev, averaging, log);
            }
            return new Result(eval.state().best(), eval.state().bestStep(), steps, eval.history());
        }
    }

    /** Two-stage fine-tuning: the first stage's encoder, and its head when it did this task with these labels. */
    private static void initFrom(Path run, MaskedLm lm, TaskHead head, String task, Labels labels, PrintStream log) {
        try (TaskModel first = TaskModel.load(run)) {
            int n = InitFrom.encoder(first, lm);
            boolean withHead = InitFrom.head(first, head, task, labels);
            log.println("infuse: starting from " + run + ": " + n + " encoder weights" + (withHead ? " and its " + first.task() + " head"
                    : "; a fresh head (it did " + first.task() + " with " + first.labels().size() + " labels)"));
        }
    }

    /** The mean of the last snapshots, scored on dev and saved in {@code averaged/} beside the best model. */
    private static void averaged(FinetuneJob job, TaskModel model, TaskSet dev, CheckpointAverage averaging, PrintStream log) {
        int n = averaging.average();
        Scores s = Predictor.evaluate(model, dev, job.batchSize() * 2, FinetuneOutput.QUIET);
        log.println(String.format(java.util.Locale.ROOT, "infuse: the mean of the last %d snapshots: dev %s %.4f, in %s", n, s.primaryName(),
                s.primary(), job.outputDir().resolve(CheckpointAverage.AVERAGED)));
        Provenance p = Provenance.of("finetuned-model").input("base_model", job.model()).input("train", job.train().toString())
                .input("dev", job.dev().toString());
        job.settings().forEach(p::setting);
        p.setting("averaged_snapshots", n).setting("dev_" + s.primaryName(), s.primary());
        Path dir = job.outputDir().resolve(CheckpointAverage.AVERAGED);
        Path tmp = job.outputDir().resolve(CheckpointAverage.AVERAGED + ".tmp");
        try (StopSignal.Writing w = StopSignal.writing()) { // written aside, then swapped in whole
            AtomicFiles.deleteTree(tmp);
            model.save(tmp, p, job.model(), true);
            AtomicFiles.deleteTree(dir);
            java.nio.file.Files.move(tmp, dir);
        } catch (java.io.IOException e) {
            throw new InfuseException("cannot write " + dir + ": " + e.getMessage());
        }
    }

    /** The encoder trains unless the transfer freezes it or a plug-in's modules train alone (an adapter). */
    static boolean encoderTrains(FinetuneJob job, TaskModel model) {
        return !job.transfer().frozen() && (job.trainBackbone() || model.knowledge().plugins().stream().noneMatch(Knowledge::freezesEncoder));
    }

    private static void save(FinetuneJob job, TaskModel model, Scores s, long step) {
        Provenance p = Provenance.of("finetuned-model").input("base_model", job.model())
                .input("train", job.train().toString()).input("train_sha256", Provenance.sha256(job.train()))
                .input("dev", job.dev().toString()).input("dev_sha256", Provenance.sha256(job.dev()));
        model.knowledge().identity().forEach(p::setting);
        job.settings().forEach(p::setting);
        p.setting("best_step", step).setting("dev_" + s.primaryName(), s.primary());
        // A run whose plug-in trains alone (an adapter) is saved apart from the base model, as PEFT saves it.
        boolean adapterOnly = !encoderTrains(job, model) && model.knowledge().plugins().stream().anyMatch(Knowledge::freezesEncoder);
        try (StopSignal.Writing w = StopSignal.writing()) { // a second signal waits for the whole model, not some of its files
            model.save(job.outputDir(), p, job.model(), !adapterOnly);
        }
    }
}
