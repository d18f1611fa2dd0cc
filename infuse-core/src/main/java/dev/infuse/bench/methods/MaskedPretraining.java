package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Objective;
import dev.infuse.train.Pretraining;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code token-mask}, {@code entity-mask} and the knowledge objectives beside MLM ({@code sensebert}): continued
 * pretraining on the bundle's corpus with one masking strategy and one objective; a killed run continues from its
 * checkpoint.
 */
final class MaskedPretraining implements InjectionMethod {
    private final String masking;
    private final java.util.function.Function<InjectionJob, Objective.Spec> objective;

    /** @param masking a {@code --masking} name, see {@link dev.infuse.mask.Maskings} */
    MaskedPretraining(String masking) {
        this(masking, job -> Objective.Spec.MLM);
    }

    /** @param objective the objective, from the injection (its domain, and its seed for a head's initial weights) */
    MaskedPretraining(String masking, java.util.function.Function<InjectionJob, Objective.Spec> objective) {
        this.masking = masking;
        this.objective = objective;
    }

    @Override
    public String model(String base, Path dir) {
        return dir.toString();
    }

    @Override
    public boolean trainsNewRows() {
        return true;
    }

    @Override
    public void inject(InjectionJob job) {
        Objective.Spec spec = objective.apply(job);
        var settings = spec.defaultMlmProbability() == null ? job.pretraining() : job.pretraining().withMlmProbability(spec.defaultMlmProbability());
        PretrainJob run = new PretrainJob(job.base(), new BundleCorpus(DomainBundle.open(job.domain())), masking, InstanceStream.Packing.PACKED,
                settings, job.dir(), InjectionJob.hasCheckpoint(job.dir()), false, spec);
        if (java.nio.file.Files.isDirectory(Path.of(job.base())) && dev.infuse.model.AddedRows.read(Path.of(job.base())) != null) {
            run = run.withNewTokenLrScale(VocabInjection.NEW_TOKEN_LR_SCALE); // from vocab's extension: its new words must learn
        }
        Pretraining.run(run, List.of(), job.log());
    }
}
