package dev.infuse.train;

import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import dev.infuse.mask.Masker;
import dev.infuse.mask.MaskingStrategy;
import dev.infuse.mask.Maskings;
import dev.infuse.model.AddedRows;
import dev.infuse.model.BertModel;
import dev.infuse.model.LayerHook;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ModelStore;
import dev.infuse.text.Tokenizers;
import dev.infuse.train.data.InstanceStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continued MLM pretraining from a corpus into a Hugging Face directory: checks the inputs and the output
 * directory, builds the data pipeline, resumes from a checkpoint if asked, trains, and saves the model
 * with its provenance. What {@code infuse pretrain} runs.
 */
public final class Pretraining {
    private Pretraining() {}

    /** @param extra listeners beside the standard ones (metrics, progress, checkpoints); tests use them to stop a run */
    public static long run(PretrainJob job, List<TrainListener> extra, PrintStream log) {
        // A masking that reads the model replaces the named strategies; the run then has no MaskingStrategy.
        MaskingStrategy strategy = job.modelMasking() == null ? Maskings.parse(job.masking()) : null;
        TrainSettings s = job.settings();
        Path out = job.outputDir();
        try (var pass = job.corpus().open()) {
            if (!pass.hasNext()) { // cheap early check; the stream itself also catches text that tokenizes to nothing
                throw new InfuseException("corpus " + job.corpus().describe() + " has no text to train on");
            }
        }
        String corpusHash = job.corpus().sha256();
        Map<String, Object> identity = new LinkedHashMap<>(s.identity());
        identity.put("model", job.model());
        identity.put("masking", strategy != null ? strategy.name() : job.masking());
        if (job.modelMasking() != null) {
            identity.putAll(job.modelMasking().identity());
        }
        identity.put("packing", job.packing().name().toLowerCase(java.util.Locale.ROOT));
        identity.put("corpus-sha256", corpusHash);
        identity.putAll(job.objective().identity());
        job.hooks().forEach(h -> identity.putAll(h.identity())); // before the comparison, so a resume with other hooks is refused
        AddedRows added = null;
        if (job.newTokenLrScale() != null) {
            added = AddedRows.read(ModelStore.resolve(job.model()));
            if (added == null) {
                throw new InfuseException("--new-token-lr-scale needs a model from infuse vocab extend: " + job.model() + " has no " + AddedRows.FILE);
            }
            identity.put("new-token-lr-scale", job.newTokenLrScale());
            identity.put("new-token-rows", added.firstId() + "-" + (added.firstId() + added.count() - 1));
        }
        java.util.Set<String> hookFiles = new java.util.HashSet<>(); // what a hook writes beside the model (see saveKnowledge)
        job.hooks().forEach(h -> hookFiles.addAll(h.files()));
        try (OutputDir.Run run = OutputDir.prepare(out, hookFiles, identity, job.resume(), job.overwrite(), log)) {
            train(job, strategy, identity, corpusHash, run.resumeFrom(), added, extra, log);
            run.finish();
        }
        return s.maxSteps();
    }

    private static void train(PretrainJob job, MaskingStrategy strategy, Map<String, Object> identity, String corpusHash, Path resumeFrom,
            AddedRows added, List<TrainListener> extra, PrintStream log) {
        TrainSettings s = job.settings();
        Path out = job.outputDir();
        if (strategy != null && Maskings.usesEntities(strategy) && !job.corpus().hasMentions()) {
            log.println("infuse: warning: " + job.corpus().describe() + " has no entity mentions; entity masking falls back to whole words");
        }
        TrainCheckpoint.State state = resumeFrom == null ? null : TrainCheckpoint.readState(resumeFrom, s.maxSteps());
        // On resume the weights come from the checkpoint; only the tokenizer comes from --model.
        try (MaskedLm lm = state == null ? MaskedLm.load(job.model())
                : new MaskedLm(TrainCheckpoint.readModel(resumeFrom), Tokenizers.load(ModelStore.resolve(job.model())),
                        resumeFrom.toString());
                Objective objective = job.objective().open(lm, state != null, log);
                ModelMasking chooser = job.modelMasking() == null ? null : job.modelMasking().open(lm, state != null, log)) {
            lm.model().config().requireSequenceLength("--max-seq-length", s.maxSeqLength());
            BertModel model = lm.model();
            List<LayerHook> hooks = new ArrayList<>();
            for (int i = 0; i < job.hooks().size(); i++) {
                hooks.add(job.hooks().get(i).create(model.config(), s.seed() * 31 + i));
                model.addHook(hooks.get(i));
            }
            Trainables params = trainables(model, s.freeze().trainable(model.config()), added, job.newTokenLrScale()).module(objective);
            log.println("infuse: " + params.share(model, objective));
            Masker masker = strategy != null
                    ? new Masker(strategy, s.mlmProbability(), lm.tokenizer().maskId(), model.config().vocabSize(), lm.tokenizer()::isSpecial)
                    : Masker.replacing(lm.tokenizer().maskId(), model.config().vocabSize(), lm.tokenizer()::isSpecial);
            try (AdamW adam = new AdamW(s.loop().optimizer());
                    Batcher data = new Batcher(new InstanceStream(job.corpus(), lm.tokenizer(), s.maxSeqLength(), job.packing()), masker,
                            s.seed(), s.batchSize(), lm.tokenizer().padId(), objective);
                    MetricsLog metrics = new MetricsLog(out.resolve("metrics.jsonl"))) {
                if (chooser != null) {
                    data.choosingWith(chooser, model);
                }
                long start = 0;
                if (state != null) {
                    TrainCheckpoint.restore(resumeFrom, params, adam, state.optimizerStep());
                    data.seek(state.cursor());
                    start = state.step();
                    log.println("infuse: resuming at step " + start + " of " + s.maxSteps() + " from " + resumeFrom);
                }
                Checkpointer checkpointer = new Checkpointer(out, model, params, adam, s.saveEvery(), identity);
                List<TrainListener> listeners = new ArrayList<>(List.of(metrics, ProgressLine.forStderr("pretrain"), checkpointer));
                listeners.addAll(extra);
                try {
                    new Trainer<>(params, objective.on(model), data, s.loop(), adam, listeners).run(start);
                } catch (dev.infuse.io.Stopped stop) {
                    throw stop.then(ResumeHint.of(out));
                } catch (Diverged d) {
                    long kept = checkpointer.lastSaved() >= 0 ? checkpointer.lastSaved() : start;
                    throw new InfuseException("training stopped: " + d.getMessage() + "; " + (kept > 0
                            ? "the last good checkpoint (step " + kept + ") is kept in " + out.resolve(TrainCheckpoint.DIR)
                            : "no checkpoint was written"), d);
                }
                Provenance p = Provenance.of("model").input("base_model", job.model()).input("corpus", job.corpus().describe())
                        .input("corpus_sha256", corpusHash);
                identity.forEach(p::setting);
                p.setting("steps", s.maxSteps());
                try (dev.infuse.io.StopSignal.Writing w = dev.infuse.io.StopSignal.writing()) { // a second signal waits for all its files
                    lm.save(out, p);
                    saveModules(out, params);
                    // an adapter on a frozen backbone applies to the model the run started from; otherwise only to this run's
                    String base = s.freeze().trainable(model.config()).isEmpty() ? reference(job.model()) : out.toAbsolutePath().toString();
                    for (int i = 0; i < hooks.size(); i++) {
                        job.hooks().get(i).save(hooks.get(i), out, base);
                    }
                }
            } finally {
                closeHooks(model);
            }
        }
    }

    /**
     * The encoder's trained parameters. With a vocabulary extension's rows at a rate of their own, the word embeddings (which
     * the MLM decoder shares) and the MLM bias always train, their new rows at {@code scale} times the rate; their old rows
     * train as the freezing says: at the rate when it trains them, not at all when it does not (top layers, adapters), so the
     * new words still learn under a frozen embedding table.
     */
    private static Trainables trainables(BertModel model, java.util.Set<String> trainable, AddedRows added, Float scale) {
        if (added == null) {
            return new Trainables().encoder(model, trainable::contains);
        }
        if (added.firstId() + added.count() > model.config().vocabSize()) {
            throw new InfuseException(AddedRows.FILE + " names rows up to " + (added.firstId() + added.count() - 1) + " but the model has "
                    + model.config().vocabSize());
        }
        String words = dev.infuse.model.ParameterSpec.prefix(model.config()) + "embeddings.word_embeddings.weight";
        String bias = dev.infuse.model.ParameterSpec.HeadNames.of(model.config()).bias();
        Trainables t = new Trainables().encoder(model, n -> trainable.contains(n) || n.equals(words) || n.equals(bias));
        for (String name : List.of(words, bias)) {
            t.splitRows(name, added.firstId(), trainable.contains(name) ? 1f : 0f, scale);
        }
        return t;
    }

    /** Hooks and an objective's parameters are not part of the Hugging Face model: they go beside it, by name. */
    private static void saveModules(Path out, Trainables params) {
        Map<String, dev.infuse.model.io.HostTensor> modules = TrainCheckpoint.exportModules(params);
        if (!modules.isEmpty()) {
            dev.infuse.model.io.Safetensors.write(out.resolve(TrainCheckpoint.MODULES), modules);
        }
    }

    /** A model directory as an absolute path, so the adapter's config still finds it from elsewhere; a built-in name as it is. */
    private static String reference(String model) {
        Path p = Path.of(model);
        return java.nio.file.Files.isDirectory(p) ? p.toAbsolutePath().normalize().toString() : model;
    }

    private static void closeHooks(BertModel model) {
        for (LayerHook h : List.copyOf(model.hooks())) {
            model.removeHook(h);
            if (h instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close hook " + h, e);
                }
            }
        }
    }
}
