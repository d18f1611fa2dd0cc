package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code token-mask} and {@code entity-mask}: continued MLM pretraining on the bundle's corpus with one
 * masking strategy; a killed run continues from its checkpoint.
 */
final class MaskedPretraining implements InjectionMethod {
    private final String masking;

    /** @param masking a {@code --masking} name, see {@link dev.infuse.mask.Maskings} */
    MaskedPretraining(String masking) {
        this.masking = masking;
    }

    @Override
    public String model(String base, Path dir) {
        return dir.toString();
    }

    @Override
    public void inject(InjectionJob job) {
        Pretraining.run(new PretrainJob(job.base(), new BundleCorpus(DomainBundle.open(job.domain())), masking, InstanceStream.Packing.PACKED,
                job.pretraining(), job.dir(), InjectionJob.hasCheckpoint(job.dir()), false), List.of(), job.log());
    }
}
