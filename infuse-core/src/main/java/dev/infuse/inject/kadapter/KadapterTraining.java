package dev.infuse.inject.kadapter;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Jsons;
import dev.infuse.io.Provenance;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.Encoded;
import dev.infuse.task.Labels;
import dev.infuse.task.LengthBatches;
import dev.infuse.task.Predictor;
import dev.infuse.task.Scores;
import dev.infuse.task.TaskBatch;
import dev.infuse.task.TaskHead;
import dev.infuse.task.TaskModel;
import dev.infuse.task.Transfer;
import dev.infuse.task.relation.RelationExample;
import dev.infuse.task.relation.RelationSet;
import dev.infuse.train.AdamW;
import dev.infuse.train.BatchLoss;
import dev.infuse.train.Checkpointer;
import dev.infuse.train.EpochBatches;
import dev.infuse.train.LoopSettings;
import dev.infuse.train.Losses;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.MetricsLog;
import dev.infuse.train.OutputDir;
import dev.infuse.train.ProgressLine;
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
 * Pretrains a factual adapter by relation classification on a bundle's triples, as K-Adapter's {@code fac-adapter.py}:
 * the encoder frozen and run without dropout, the adapter stack after it, and a classifier on the
 * {@code [subject-start ; object-start]} markers of {@code [encoder last ; adapter last]}. Trained by the one
 * {@link Trainer} (checkpoints, {@code --resume}, metrics, progress and signals as every run). The output is a task
 * model of task {@code relation} whose plug-in is the adapter: {@code infuse eval} scores it, and any task takes the
 * adapter from it ({@link dev.infuse.inject.SavedKnowledge}).
 */
public final class KadapterTraining {
    /** What a run writes besides what every training run does. */
    static final Set<String> FILES = Set.of(KadapterKnowledge.WEIGHTS, KadapterKnowledge.CONFIG, TaskModel.HEAD_FILE, TaskModel.TASK_FILE,
            TaskModel.CARD_FILE, "dev.jsonl", "kadapter_relations.json", "dev_scores.json");

    /**
     * @param kept labels kept and their sentences
     * @param dropped labels dropped for too few sentences
     * @param dev the held-out sentences' scores
     * @param encoderSha256 the encoder's weights (MaskedLm#fingerprint), the same before and after the run
     */
    public record Result(long steps, Map<String, Integer> kept, Map<String, Integer> dropped, Scores dev, String encoderSha256) {}

    private KadapterTraining() {}

    public static Result run(KadapterJob job, List<TrainListener> extra, PrintStream log) {
        DomainBundle bundle = DomainBundle.open(job.domain()).requireValid();
        RelationExamples.Built data = RelationExamples.build(bundle, job.labels(), job.minExamples(), KadapterJob.DEV_MAX, job.seed());
        log.println("infuse: " + data.summary(job.minExamples()));
        Map<String, Object> identity = new LinkedHashMap<>(job.settings());
        for (String f : List.of(BundleFiles.ENTITIES, BundleFiles.TRIPLES, BundleFiles.CORPUS_JSONL, BundleFiles.CORPUS_TEXT)) {
            Path p = BundleFiles.find(bundle.dir(), f);
            if (p != null) {
                identity.put("domain-" + f + "-sha256", Provenance.sha256(p));
            }
        }
        try (OutputDir.Run run = OutputDir.prepare(job.output(), FILES, identity, job.resume(), job.overwrite(), log)) {
            Result r = train(job, data, identity, run.resumeFrom(), extra, log);
            run.finish();
            return r;
        }
    }

    private static Result train(KadapterJob job, RelationExamples.Built data, Map<String, Object> identity, Path resumeFrom,
            List<TrainListener> extra, PrintStream log) {
        Labels labels = new Labels(RelationExamples.labels(data));
        MaskedLm lm = MaskedLm.load(job.model());
        String before = lm.fingerprint();
        TaskModel model;
        try {
            lm.model().config().requireSequenceLength("--max-seq-length", job.maxSeqLength());
            KnowledgeStack stack = new KnowledgeStack(List.of(job.adapter().open(lm, job.maxSeqLength(), job.seed() * 31)));
            // TOP: the encoder is a frozen feature extractor, run without dropout as the reference's pretrained_model.eval()
            TaskHead head = TaskHead.random(stack.headWidth(lm.model().config().hiddenSize()), lm.model().config().numHiddenLayers(), 2,
                    labels.size(), Transfer.TOP, job.seed());
            model = new TaskModel(lm, head, "relation", labels, Transfer.TOP, job.maxSeqLength(), stack);
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
        try (TaskModel m = model) {
            RelationSet train = new RelationSet(data.train());
            List<Encoded> encoded = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                Encoded e = train.encode(i, m.encoder(), job.maxSeqLength(), labels);
                if (!e.targets().isEmpty()) {
                    encoded.add(e);
                }
            }
            if (encoded.isEmpty()) {
                throw new InfuseException("no example keeps both entity markers inside --max-seq-length " + job.maxSeqLength());
            }
            if (encoded.size() < train.size()) {
                log.println("infuse: " + (train.size() - encoded.size()) + " of " + train.size() + " examples lose a marker to --max-seq-length "
                        + job.maxSeqLength() + " and are left out");
            }
            long steps = loop(job, m, encoded, identity, resumeFrom, extra, log);
            String after = new MaskedLm(lm.model(), lm.tokenizer(), "after training").fingerprint(); // not cached: computed again
            if (!after.equals(before)) {
                throw new IllegalStateException("the encoder changed during K-Adapter pretraining: " + before + " before, " + after + " after");
            }
            RelationSet dev = new RelationSet(data.dev());
            Scores scores = dev.size() == 0 ? null : Predictor.evaluate(m, dev, 32, log);
            if (scores != null) {
                log.println("infuse: held-out " + dev.size() + " sentences: " + scores.primaryName() + " " + String.format(java.util.Locale.ROOT,
                        "%.4f", scores.primary()));
            }
            save(job, m, data, scores, identity, before);
            TrainCheckpoint.clear(job.output()); // the adapter is complete in the directory
            return new Result(steps, data.kept(), data.dropped(), scores, before);
        }
    }

    private static long loop(KadapterJob job, TaskModel m, List<Encoded> data, Map<String, Object> identity, Path resumeFrom,
            List<TrainListener> extra, PrintStream log) {
        FactualAdapter adapter = (FactualAdapter) m.knowledge().outputModules().get(0);
        // Only the adapter and the classifier train: the encoder is not among the trainables at all.
        Trainables params = new Trainables().module(adapter).module(m.head());
        log.println("infuse: " + params.share(m.lm().model(), adapter, m.head()));
        List<Integer> lengths = data.stream().map(e -> e.row().length()).toList();
        EpochBatches<TaskBatch> batches = new EpochBatches<>(data.size(), job.batchSize(), 0,
                epoch -> LengthBatches.shuffledOrder(lengths, job.batchSize(), new Random(job.seed() * 1_000_003L + epoch)),
                indices -> new TaskBatch(indices.stream().map(data::get).toList()));
        // The reference's optimizer: AdamW, no weight decay, linear warmup and decay, gradients clipped at 1.
        LoopSettings loop = new LoopSettings(job.maxSteps(), job.lr(), Math.round(job.warmupRatio() * job.maxSteps()), LrSchedule.Kind.LINEAR,
                1f, 1, 0f, job.seed());
        try (AdamW adam = new AdamW(loop.optimizer()); MetricsLog metrics = new MetricsLog(job.output().resolve("metrics.jsonl"))) {
            long start = 0;
            if (resumeFrom != null) {
                TrainCheckpoint.State st = TrainCheckpoint.readState(resumeFrom, job.maxSteps());
                log.println("infuse: resuming at step " + st.step() + " of " + job.maxSteps() + " from " + resumeFrom);
                TrainCheckpoint.restore(resumeFrom, params, adam, st.optimizerStep());
                batches.seek(st.cursor());
                start = st.step();
            }
            List<TrainListener> listeners = new ArrayList<>(List.of(metrics, ProgressLine.forStderr("kadapter"),
                    new Checkpointer(job.output(), null, params, adam, job.saveEvery(), identity)));
            listeners.addAll(extra);
            BatchLoss<TaskBatch> loss = (s, batch, training) -> Losses.crossEntropy(m.logits(s, batch.examples(), training),
                    Tensors.copyOf(s, batch.gold(), new Shape(batch.predicted()))); // ()
            try {
                return new Trainer<>(params, loss, batches, loop, adam, listeners).run(start);
            } catch (Stopped stop) {
                throw stop.then(ResumeHint.of(job.output()));
            }
        }
    }

    private static void save(KadapterJob job, TaskModel m, RelationExamples.Built data, Scores scores, Map<String, Object> identity,
            String encoderSha) {
        Provenance p = Provenance.of("kadapter").input("base_model", job.model()).input("domain", job.domain().toString());
        identity.forEach(p::setting);
        p.setting("encoder_fingerprint", encoderSha).setting("encoder_unchanged", true);
        if (scores != null) {
            p.setting("dev_" + scores.primaryName(), scores.primary());
        }
        JsonObject rel = new JsonObject();
        JsonObject kept = new JsonObject();
        data.kept().forEach(kept::addProperty);
        JsonObject dropped = new JsonObject();
        data.dropped().forEach(dropped::addProperty);
        rel.addProperty("labels", job.labels().flag);
        rel.addProperty("min_examples", job.minExamples());
        rel.addProperty("train_examples", data.train().size());
        rel.addProperty("dev_examples", data.dev().size());
        rel.add("kept", kept);
        rel.add("dropped", dropped);
        try (StopSignal.Writing w = StopSignal.writing()) { // a second signal waits for every file
            m.save(job.output(), p, job.model(), false);
            AtomicFiles.writeString(job.output().resolve("kadapter_relations.json"), Jsons.pretty().toJson(rel) + "\n");
            writeDev(job.output().resolve("dev.jsonl"), data.dev());
            if (scores != null) {
                AtomicFiles.writeString(job.output().resolve("dev_scores.json"), Jsons.pretty().toJson(scores.all()) + "\n");
            }
        }
    }

    /** The held-out sentences as Wiki80 jsonl, so {@code infuse eval --model OUT --test OUT/dev.jsonl} scores them again. */
    private static void writeDev(Path file, List<RelationExample> dev) {
        StringBuilder out = new StringBuilder();
        for (RelationExample x : dev) {
            JsonObject o = new JsonObject();
            JsonArray toks = new JsonArray();
            x.tokens().forEach(toks::add);
            o.add("token", toks);
            o.add("h", pos(x.headStart(), x.headEnd()));
            o.add("t", pos(x.tailStart(), x.tailEnd()));
            o.addProperty("relation", x.relation());
            out.append(Jsons.compact().toJson(o)).append('\n');
        }
        AtomicFiles.writeString(file, out.toString());
    }

    private static JsonObject pos(int s, int e) {
        JsonObject o = new JsonObject();
        JsonArray a = new JsonArray();
        a.add(s);
        a.add(e);
        o.add("pos", a);
        return o;
    }
}
