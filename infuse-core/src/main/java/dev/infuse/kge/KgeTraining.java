package dev.infuse.kge;

import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.train.AdamW;
import dev.infuse.train.Checkpointer;
import dev.infuse.train.Diverged;
import dev.infuse.train.LoopSettings;
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
import java.util.Set;

/**
 * {@code kge train}: reads the triples, builds the dictionaries, trains the tables through the one {@link Trainer}
 * (the tables are a module, {@link KgeLoss} the loss, {@link KgeBatches} the source), and writes the table, its
 * config and provenance. Checkpoints, --resume, metrics and signals are the trainer's, as for every run.
 */
public final class KgeTraining {
    /**
     * @param valid triples to evaluate on during training, or null
     * @param entities a dictionary file fixing the entity rows (RotatE's entities.dict), or null
     * @param relations likewise for relations, or null
     */
    public record Job(Path train, Path valid, Path entities, Path relations, KgeSettings settings, Path out, boolean resume,
            boolean overwrite) {}

    private KgeTraining() {}

    /** @param extra listeners beside the standard ones; tests use them to stop a run */
    public static void run(Job job, List<TrainListener> extra, PrintStream log) {
        KgeSettings s = job.settings();
        List<TripleFile.Row> trainRows = TripleFile.read(job.train());
        List<TripleFile.Row> validRows = job.valid() == null ? null : TripleFile.read(job.valid());
        List<List<TripleFile.Row>> forIds = validRows == null ? List.of(trainRows) : List.of(trainRows, validRows);
        KgIds ids = KgIds.of(job.entities() == null ? List.of() : TripleFile.readIds(job.entities()),
                job.relations() == null ? List.of() : TripleFile.readIds(job.relations()), forIds);
        Triples train = ids.index(trainRows, "not in the dictionaries");
        Map<String, Object> identity = new LinkedHashMap<>(s.identity());
        identity.put("train-sha256", Provenance.sha256(job.train().toFile().isDirectory() ? trainRows.get(0).file() : job.train()));
        putHash(identity, "valid-sha256", validRows == null ? null : validRows.get(0).file()); // its ids enter the dictionaries
        putHash(identity, "entities-sha256", job.entities());
        putHash(identity, "relations-sha256", job.relations());
        log.println("infuse: " + train.size() + " training triples, " + ids.entities().size() + " entities, " + ids.relations().size()
                + " relations; " + s.model().id() + " of dimension " + s.dimension());
        try (OutputDir.Run run = OutputDir.prepare(job.out(), Set.of(KgeTable.FILE, ValidScores.FILE), identity, job.resume(), job.overwrite(),
                log)) {
            Triples valid = validRows == null ? null : ids.index(validRows, "not in the dictionaries");
            train(job, ids, train, valid, identity, run.resumeFrom(), extra, log);
            TrainCheckpoint.clear(job.out()); // the table is written; the checkpoint would only hold it a second time
            run.finish();
        }
    }

    private static void putHash(Map<String, Object> identity, String key, Path file) {
        if (file != null) {
            identity.put(key, Provenance.sha256(file));
        }
    }

    private static void train(Job job, KgIds ids, Triples train, Triples valid, Map<String, Object> identity, Path resumeFrom,
            List<TrainListener> extra, PrintStream log) {
        KgeSettings s = job.settings();
        Path out = job.out();
        int chunks = s.chunks();
        LoopSettings loop = new LoopSettings(s.steps(), s.lr(), 0, LrSchedule.Kind.STEP, 0f, chunks, 0f, s.seed());
        float[] weights = s.subsampling() ? KgeBatches.subsamplingWeights(train) : KgeBatches.uniformWeights(train);
        KgeBatches batches = new KgeBatches(train, ids.entities().size(), new KnownTriples(train, ids.relations().size()), s.batchSize(),
                s.negatives(), s.seed(), weights, chunks);
        if (chunks > 1) {
            log.println("infuse: each batch of " + s.batchSize() + " runs as " + chunks + " micro-batches, accumulated into one step");
        }
        try (KgeModel model = KgeModel.init(s.config(), ids.entities().size(), ids.relations().size(), s.seed());
                AdamW adam = new AdamW(loop.optimizer());
                MetricsLog metrics = new MetricsLog(out.resolve("metrics.jsonl"))) {
            Trainables params = new Trainables().module(model);
            long start = 0;
            if (resumeFrom != null) {
                TrainCheckpoint.State st = TrainCheckpoint.readState(resumeFrom, s.steps());
                TrainCheckpoint.restore(resumeFrom, params, adam, st.optimizerStep());
                batches.seek(st.cursor());
                start = st.step();
                log.println("infuse: resuming at step " + start + " of " + s.steps() + " from " + resumeFrom);
            }
            Checkpointer checkpointer = new Checkpointer(out, null, params, adam, s.saveEvery(), identity);
            List<TrainListener> listeners = new ArrayList<>(List.of(metrics, ProgressLine.forStderr("kge train", "triples"), checkpointer));
            if (valid != null) {
                KnownTriples known = new KnownTriples(Triples.concat(train, valid), ids.relations().size());
                listeners.add(new ValidScores(model, valid, known, s.validEvery(), out, log));
            }
            listeners.addAll(extra);
            try {
                new Trainer<>(params, new KgeLoss(model, s.alpha(), s.l3()), batches, loop, adam, listeners).run(start);
            } catch (Stopped stop) {
                throw stop.then(ResumeHint.of(out));
            } catch (Diverged d) {
                long kept = checkpointer.lastSaved() >= 0 ? checkpointer.lastSaved() : start;
                throw new InfuseException("training stopped: " + d.getMessage() + "; " + (kept > 0
                        ? "the last good checkpoint (step " + kept + ") is kept in " + out.resolve(TrainCheckpoint.DIR)
                        : "no checkpoint was written"), d);
            }
            Provenance p = Provenance.of("kge-embeddings").input("train", job.train().toString());
            if (job.valid() != null) {
                p.input("valid", job.valid().toString());
            }
            identity.forEach(p::setting);
            p.setting("entities", ids.entities().size()).setting("relations", ids.relations().size());
            try (StopSignal.Writing w = StopSignal.writing()) { // a second signal waits for all three files
                KgeTable.write(out, model, ids);
                p.write(out.resolve("provenance.json"));
            }
        }
    }
}
