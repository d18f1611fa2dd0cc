package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.inject.ernie.DeaSpec;
import dev.infuse.inject.ernie.ErnieKnowledge;
import dev.infuse.inject.ernie.ErnieSpec;
import dev.infuse.kge.KgeConfig;
import dev.infuse.kge.KgeSettings;
import dev.infuse.kge.KgeTable;
import dev.infuse.kge.KgeTraining;
import dev.infuse.train.Objective;
import dev.infuse.train.ObjectiveSum;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ernie}: TransE vectors for the bundle's triples ({@code kge train}, in {@code kge/}), then ERNIE (THU)
 * pretraining under the comparison's budget: MLM with token masking plus dEA, the fusion layers in the top six
 * layers (in {@code model/}). The tasks read that model with its fusion plug-in, so every text's linked mentions
 * bring their KG vectors. Both halves resume after a kill.
 */
final class ErnieInjection implements InjectionMethod {
    /** ERNIE's TransE vectors are 100-dimensional; a short run, as the comparison's budget is short (about 9 epochs of FOLDOC's triples). */
    static KgeSettings kgeSettings(long seed) {
        KgeSettings d = KgeSettings.defaults(KgeConfig.Model.TRANSE, seed);
        int dim = 100;
        return new KgeSettings(d.model(), d.norm(), dim, d.batchSize(), 128, d.gamma(), d.alpha(), 1e-3f, 1000, seed, d.subsampling(), d.l3(),
                KgeSettings.initRange(d.model(), d.gamma(), dim), 500, 0, 0);
    }

    /** TransE vectors of the bundle's triples in {@code kge/}, trained unless a finished table is there. */
    static Path trainedKge(InjectionJob job) {
        Path kge = job.dir().resolve("kge");
        if (!Files.exists(kge.resolve(KgeTable.FILE))) {
            KgeTraining.run(new KgeTraining.Job(job.domain(), null, null, null, kgeSettings(job.pretraining().seed()), kge,
                    InjectionJob.hasCheckpoint(kge), false), List.of(), job.log());
        }
        return kge;
    }

    @Override
    public String model(String base, Path dir) {
        return dir.resolve("model").toString();
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new SavedKnowledge(ErnieKnowledge.NAME, dir.resolve("model")));
    }

    @Override
    public void inject(InjectionJob job) {
        Path kge = trainedKge(job);
        long seed = job.pretraining().seed();
        Objective.Spec spec = new ObjectiveSum.Spec(List.of("mlm", "dea"), List.of(1f, 1f),
                List.of(Objective.Spec.MLM, new DeaSpec(new ErnieSpec(kge, job.domain(), ErnieSpec.DEFAULT_LAYERS), seed)));
        Path model = job.dir().resolve("model");
        Pretraining.run(new PretrainJob(job.base(), new BundleCorpus(DomainBundle.open(job.domain())), "token", InstanceStream.Packing.PACKED,
                job.pretraining(), model, InjectionJob.hasCheckpoint(model), false, spec), List.of(), job.log());
    }
}
