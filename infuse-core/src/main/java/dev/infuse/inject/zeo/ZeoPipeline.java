package dev.infuse.inject.zeo;

import dev.infuse.domain.DomainBundle;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Freeze;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PassageSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code infuse zeo run}: knowledge vectors, an instance dump to look at, then joint training, all in one
 * output directory: {@code vectors.zeo}, {@code instances.jsonl} and the trained model. The vectors are
 * built with the base model before any training (ZEO's vectors are the base model's view of the
 * descriptions) and reused when the file is already there, so a rerun with {@code --resume} only continues
 * training.
 *
 * @param templates a template pool, or null
 * @param vectors where the knowledge vectors are (built there when missing); runs that differ only in
 *     {@code --inject} can share one file, because the vectors come from the base model alone
 * @param vectorLength description tokens read per entity, specials included
 */
public record ZeoPipeline(String model, Path domain, Path outputDir, Path templates, ZeoSpec.Settings zeo, TrainSettings train,
        boolean resume, boolean overwrite, Path vectors, int vectorLength) {
    public ZeoPipeline(String model, Path domain, Path outputDir, Path templates, ZeoSpec.Settings zeo, TrainSettings train,
            boolean resume, boolean overwrite) {
        this(model, domain, outputDir, templates, zeo, train, resume, overwrite, outputDir.resolve("vectors.zeo"), 128);
    }

    /** Small defaults for a 2-core CPU: short windows, few steps, frequent checkpoints. */
    public static TrainSettings smallTraining(int maxSteps, long seed) {
        return TrainSettings.shortRun(8, 64, 5e-5f, Freeze.none(), maxSteps, seed);
    }

    public long run(PrintStream log) {
        Path model = outputDir.resolve("model");
        try {
            Files.createDirectories(outputDir);
        } catch (java.io.IOException e) {
            throw new dev.infuse.InfuseException("cannot create " + outputDir + ": " + e.getMessage());
        }
        DomainBundle bundle = DomainBundle.open(domain);
        if (!Files.exists(vectors) || overwrite) {
            try (MaskedLm lm = MaskedLm.load(this.model)) {
                int length = Math.min(vectorLength, lm.model().config().maxSequenceLength());
                VectorBuilder.Options d = VectorBuilder.Options.defaults();
                VectorBuilder.build(lm, bundle, new VectorBuilder.Options(d.pooling(), length, 16, d.chunkSize(), d.checkpointSeconds()),
                        vectors, s -> log.println("infuse: " + s));
            }
        } else {
            log.println("infuse: reusing " + vectors);
        }
        PassageSource corpus = new BundleCorpus(bundle);
        if (templates != null) {
            corpus = new TemplateCorpus(corpus, bundle, templates, train.seed());
        }
        KnowledgeVectors v = KnowledgeVectors.read(vectors);
        try (var tok = dev.infuse.text.Tokenizers.load(dev.infuse.model.ModelStore.resolve(this.model))) {
            InstanceDump.Report r = InstanceDump.write(corpus, tok, v, zeo.negatives(), train.maxSeqLength(), train.seed(), 200,
                    outputDir.resolve("instances.jsonl"));
            log.println("infuse: wrote " + outputDir.resolve("instances.jsonl") + " (" + r.windows() + " windows, " + r.mentions()
                    + " linked mentions)");
        }
        ZeoSpec spec = new ZeoSpec(zeo.inject(), vectors, zeo.weight(), zeo.negatives());
        return Pretraining.run(new PretrainJob(this.model, corpus, "entity", InstanceStream.Packing.PACKED, train, model, resume, overwrite,
                spec), List.of(), log);
    }
}
