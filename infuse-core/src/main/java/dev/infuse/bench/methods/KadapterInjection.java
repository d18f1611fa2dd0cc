package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.kadapter.KadapterJob;
import dev.infuse.inject.kadapter.KadapterSpec;
import dev.infuse.inject.kadapter.KadapterTraining;
import dev.infuse.inject.kadapter.SavedKadapter;
import dev.infuse.inject.kadapter.RelationExamples;
import dev.infuse.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kadapter}: K-Adapter's factual adapter (the paper's shape: three layers of two 768-wide transformer layers)
 * pretrained by relation classification on the bundle's triples under the comparison's budget (its steps, batch and
 * seed; sentences of at most 64 word pieces, the reference's length), the encoder frozen; the tasks then read the base
 * model with the adapter after it, {@code [last ; adapter]}. Adapters learn from nothing: the rate is the other
 * adapters' {@value AdapterPretraining#LR}, not the reference's 5e-5, which moves a 0.0002-initialised stack little in
 * a hundred steps. Labels are the relations, or the relation with the tail's type where fewer than two relations keep
 * {@value #MIN_EXAMPLES} examples (FOLDOC: every co-mentioned pair is see_also). The cloze probes read the masked LM,
 * which an adapter after the encoder does not change.
 */
final class KadapterInjection implements InjectionMethod {
    static final int MIN_EXAMPLES = 10;
    static final int MAX_SEQ_LENGTH = 64;

    @Override
    public String model(String base, Path dir) {
        return base; // the encoder stayed frozen
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new SavedKadapter(dir));
    }

    @Override
    public void inject(InjectionJob job) {
        TrainSettings s = job.pretraining();
        RelationExamples.Label labels = RelationExamples.labelsFor(DomainBundle.open(job.domain()), MIN_EXAMPLES);
        job.log().println("infuse: kadapter labels the sentences by " + labels.flag);
        KadapterJob k = new KadapterJob(job.base(), job.domain(), job.dir(), KadapterSpec.defaults(), labels, MIN_EXAMPLES, s.maxSteps(),
                s.batchSize(), Math.min(MAX_SEQ_LENGTH, s.maxSeqLength()), AdapterPretraining.LR, 0.1f, s.saveEvery(), s.seed(),
                InjectionJob.hasCheckpoint(job.dir()), false);
        KadapterTraining.run(k, List.of(), job.log());
    }
}
