package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.train.Freeze;
import dev.infuse.train.HookSpec;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code lora}, {@code houlsby}, {@code pfeiffer}: an adapter trained with MLM on the bundle's corpus under the
 * comparison's pretraining budget, the backbone frozen; the tasks then run the base model with that adapter on
 * top. Adapters learn from nothing and want a larger rate than a pretrained encoder: {@value #LR}, within the
 * range the adapter papers tuned over (Houlsby et al. 1e-4 to 1e-3; LoRA on RoBERTa-base 4e-4 to 5e-4).
 */
final class AdapterPretraining implements InjectionMethod {
    static final float LR = 5e-4f;

    private final String name;
    private final HookSpec adapter;

    AdapterPretraining(String name, HookSpec adapter) {
        this.name = name;
        this.adapter = adapter;
    }

    @Override
    public String model(String base, Path dir) {
        return base; // the backbone stayed frozen: the base model is the adapter's encoder
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new SavedKnowledge(name, dir));
    }

    @Override
    public void inject(InjectionJob job) {
        TrainSettings s = job.pretraining();
        TrainSettings adapterRun = new TrainSettings(s.batchSize(), s.maxSeqLength(), LR, s.warmupSteps(), s.schedule(), s.clipNorm(),
                s.accumulate(), Freeze.backbone(), s.saveEvery(), s.maxSteps(), s.seed(), s.weightDecay(), s.mlmProbability());
        Pretraining.run(new PretrainJob(job.base(), new BundleCorpus(DomainBundle.open(job.domain())), "token", InstanceStream.Packing.PACKED,
                adapterRun, job.dir(), InjectionJob.hasCheckpoint(job.dir()), false, dev.infuse.train.Objective.Spec.MLM, List.of(adapter)),
                List.of(), job.log());
    }
}
