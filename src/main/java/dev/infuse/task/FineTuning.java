package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.Safetensors;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ParameterSpec;
import dev.infuse.train.AdamW;
import dev.infuse.train.Diverged;
import dev.infuse.train.Freeze;
import dev.infuse.train.GradClip;
import dev.infuse.train.Losses;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainListener;
import dev.infuse.train.data.Cursor;
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
 * Fine-tunes a model on one task: encoder (whole, top K layers, or frozen) plus a fresh head, with the
 * training pieces of {@code dev.infuse.train} (AdamW, global-norm clipping, warm-up schedule, step
 * listeners for metrics and progress). Evaluates on dev every {@code evalEvery} steps, keeps the best
 * model in the output directory and stops after {@code patience} evaluations without improvement.
 *
 * <p>Not the MLM {@code Trainer} itself: that loop is bound to masked batches and the model's own
 * parameters, while here the head's parameters train too and examples carry labels.
 */
public final class FineTuning {
    /** @param history one entry per dev evaluation: step and scores */
    public record Result(Scores best, long bestStep, long steps, List<Map<String, Object>> history) {}

    private FineTuning() {}

    public static Result run(FinetuneJob job, List<TrainListener> listeners, PrintStream log) {
        TaskSet train = Tasks.read(job.task(), job.train());
        TaskSet dev = Tasks.read(job.task(), job.dev());
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
        Path resumeFrom = FinetuneOutput.prepare(job.outputDir(), job.overwrite(), job.resume(), identity);
        FinetuneCheckpoint.State state = resumeFrom == null ? null : FinetuneCheckpoint.read(resumeFrom);
        Labels labels = new Labels(train.labelsInOrder());
        MaskedLm lm = MaskedLm.load(job.model());
        BertConfig c = lm.model().config();
        if (job.maxSeqLength() > c.maxSequenceLength()) {
            lm.close();
            throw new InfuseException("--max-seq-length " + job.maxSeqLength() + " is larger than the model's " + c.maxSequenceLength() + " positions");
        }
        EntityTable table = null;
        if (job.entityTable() != null) {
            try {
                table = EntityTable.read(job.entityTable());
                table.requireModel(lm, job.entityTable());
            } catch (RuntimeException e) {
                lm.close();
                throw e;
            }
        }
        TaskHead head;
        if (state == null) {
            head = TaskHead.random(c.hiddenSize(), c.numHiddenLayers(), Tasks.groups(job.task()), labels.size(), job.transfer(), job.seed());
        } else { // weights from the checkpoint; tokenizer (and the table check above) from the base model
            BertModel restored = Checkpoints.readHuggingFace(resumeFrom);
            lm.model().close();
            lm = new MaskedLm(restored, lm.tokenizer(), resumeFrom.toString());
            head = TaskHead.load(Safetensors.read(resumeFrom.resolve(TaskModel.HEAD_FILE)), job.transfer(), Tasks.groups(job.task()));
            log.println("infuse: resuming at step " + state.step() + " from " + resumeFrom);
        }
        try (TaskModel model = new TaskModel(lm, head, job.task(), labels, job.transfer(), job.maxSeqLength(), table,
                job.entityNorm());
                AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.999f, 1e-8f, 0.01f))) {
            List<Encoded> data = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                Encoded e = train.encode(i, model.encoder(), job.maxSeqLength(), labels);
                if (!e.targets().isEmpty()) {
                    data.add(e);
                }
            }
            if (data.isEmpty()) {
                throw new InfuseException("--train " + job.train() + ": no example has a target inside --max-seq-length " + job.maxSeqLength());
            }
            if (state != null) {
                FinetuneCheckpoint.restore(resumeFrom, adam, state.optimizerStep());
                FinetuneOutput.truncateAfter(job.outputDir().resolve("dev_scores.jsonl"), state.step());
            } else {
                state = new FinetuneCheckpoint.State(0, 0, null, 0, 0, identity);
            }
            Result r = new Loop(job, model, adam, data, dev, listeners, log, identity).run(state);
            FinetuneCheckpoint.clear(job.outputDir());
            return r;
        }
    }

    /** One run's state; split out so each method stays a screen. */
    private static final class Loop {
        final FinetuneJob job;
        final TaskModel model;
        final AdamW adam;
        final List<Encoded> data;
        final TaskSet dev;
        final List<TrainListener> listeners;
        final PrintStream log;
        final Map<String, NDArray> params = new LinkedHashMap<>();
        final Set<String> noDecay = new HashSet<>();
        final List<NDArray> trained = new ArrayList<>();
        final List<Map<String, Object>> history = new ArrayList<>();
        final Map<String, Object> identity;

        Loop(FinetuneJob job, TaskModel model, AdamW adam, List<Encoded> data, TaskSet dev, List<TrainListener> listeners, PrintStream log,
                Map<String, Object> identity) {
            this.identity = identity;
            this.job = job;
            this.model = model;
            this.adam = adam;
            this.data = data;
            this.dev = dev;
            this.listeners = listeners;
            this.log = log;
            BertConfig c = model.lm().model().config();
            // The MLM head and pooler get no gradient from a task loss; leaving them out keeps weight decay off them.
            Set<String> encoder = job.transfer().frozen() ? Set.of() : new Freeze(job.topLayers(), false).trainable(c);
            String prefix = ParameterSpec.prefix(c);
            for (ParameterSpec p : ParameterSpec.of(c)) {
                if (encoder.contains(p.name()) && p.name().startsWith(prefix)) {
                    params.put(p.name(), model.lm().model().parameter(p.name()));
                    if (!p.role().decays()) {
                        noDecay.add(p.name());
                    }
                }
            }
            params.putAll(model.head().parameters());
            noDecay.addAll(List.of(TaskHead.BIAS, TaskHead.MIX_WEIGHTS, TaskHead.MIX_GAMMA));
            trained.addAll(params.values());
        }

        Result run(FinetuneCheckpoint.State from) {
            int perEpoch = (data.size() + job.batchSize() - 1) / job.batchSize();
            int maxSteps = job.maxSteps() > 0 ? job.maxSteps() : perEpoch * job.epochs();
            int evalEvery = job.evalEvery() > 0 ? job.evalEvery() : perEpoch;
            LrSchedule schedule = new LrSchedule(job.lr(), Math.round(job.warmupRatio() * maxSteps), maxSteps, LrSchedule.Kind.LINEAR);
            Scores best = from.best();
            long bestStep = from.bestStep();
            int bad = from.bad();
            long step = from.step();
            trained.forEach(p -> p.setRequiresGradient(true));
            long start = step;
            listeners.forEach(l -> l.onStart(start, maxSteps));
            try (NDManager root = Engines.newManager()) {
                List<Integer> order = new ArrayList<>();
                while (step < maxSteps) {
                    long epoch = step / perEpoch;
                    int at = (int) (step % perEpoch);
                    if (at == 0 || order.isEmpty()) { // a new epoch (or a resume): the order comes from (seed, epoch)
                        order = shuffled(epoch);
                    }
                    List<Encoded> batch = new ArrayList<>();
                    for (int i = at * job.batchSize(); i < Math.min(data.size(), (at + 1) * job.batchSize()); i++) {
                        batch.add(data.get(order.get(i)));
                    }
                    StepReport r = step(root, step, maxSteps, schedule.lr(step), batch, new Cursor(epoch, at, 0, 0));
                    step++;
                    listeners.forEach(l -> l.onStep(r));
                    if (step % evalEvery == 0 || step == maxSteps) {
                        Scores s = evaluate(step);
                        if (best == null || s.primary() > best.primary()) {
                            best = s;
                            bestStep = step;
                            bad = 0;
                            save(s, step);
                        } else if (++bad >= job.patience()) {
                            log.println("infuse: early stop at step " + step + ": dev " + s.primaryName() + " has not improved for "
                                    + bad + " evaluations (best " + String.format("%.4f", best.primary()) + " at step " + bestStep + ")");
                            break;
                        }
                        if (step < maxSteps) {
                            FinetuneCheckpoint.save(job.outputDir(), model, adam,
                                    new FinetuneCheckpoint.State(step, adam.stepCount(), best, bestStep, bad, identity));
                        }
                    }
                }
            } finally {
                trained.forEach(p -> p.setRequiresGradient(false));
            }
            listeners.forEach(l -> l.onEnd(maxSteps));
            return new Result(best, bestStep, step, history);
        }

        List<Integer> shuffled(long epoch) {
            List<Integer> lengths = data.stream().map(e -> e.row().length()).toList();
            return LengthBatches.shuffledOrder(lengths, job.batchSize(), new Random(job.seed() * 1_000_003L + epoch));
        }

        StepReport step(NDManager root, long step, int maxSteps, float lr, List<Encoded> batch, Cursor cursor) {
            long t0 = System.nanoTime();
            int n = batch.stream().mapToInt(e -> e.targets().size()).sum();
            long[] gold = new long[n];
            int j = 0;
            for (Encoded e : batch) {
                for (Target t : e.targets()) {
                    gold[j++] = t.label();
                }
            }
            double value;
            double norm;
            Engines.get().setRandomSeed((int) (job.seed() * 31 + step)); // dropout: same seed, same run
            try (NDManager s = root.newSubManager()) {
                try (GradientCollector gc = Engines.get().newGradientCollector()) {
                    NDArray logits = model.logits(s, batch, true); // (N, C)
                    NDArray loss = Losses.crossEntropy(logits, Tensors.copyOf(s, gold, new Shape(n))); // ()
                    value = loss.getFloat();
                    if (!Double.isFinite(value)) {
                        throw new Diverged(step + 1, "loss is " + value);
                    }
                    gc.backward(loss);
                }
                norm = GradClip.clipGlobalNorm(trained, 1f, s);
            }
            float headLr = lr * job.headPeakLr() / job.lr(); // the same schedule, scaled
            adam.step(params, noDecay, name -> model.head().parameters().containsKey(name) ? headLr : lr);
            int tokens = batch.stream().mapToInt(e -> e.row().length()).sum();
            double sec = (System.nanoTime() - t0) / 1e9;
            return new StepReport(step + 1, maxSteps, value, lr, norm, tokens, n, sec, sec, cursor);
        }

        Scores evaluate(long step) {
            // Unseen-label warnings once, at the first evaluation, not at every one.
            Scores s = Predictor.evaluate(model, dev, job.batchSize() * 2, history.isEmpty() ? log : FinetuneOutput.QUIET);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("step", step);
            h.put(s.primaryName(), s.primary());
            h.put("scores", s.all());
            history.add(h);
            FinetuneOutput.appendLine(job.outputDir().resolve("dev_scores.jsonl"), new Gson().toJson(h));
            log.println(String.format("infuse: step %d dev %s %.4f", step, s.primaryName(), s.primary()));
            return s;
        }

        void save(Scores s, long step) {
            Provenance p = Provenance.of("finetuned-model").input("base_model", job.model())
                    .input("train", job.train().toString()).input("train_sha256", Provenance.sha256(job.train()))
                    .input("dev", job.dev().toString()).input("dev_sha256", Provenance.sha256(job.dev()));
            if (job.entityTable() != null) {
                p.input("entity_table_sha256", Provenance.sha256(job.entityTable()));
            }
            job.settings().forEach(p::setting);
            p.setting("best_step", step).setting("dev_" + s.primaryName(), s.primary());
            model.save(job.outputDir(), p);
        }
    }
}
