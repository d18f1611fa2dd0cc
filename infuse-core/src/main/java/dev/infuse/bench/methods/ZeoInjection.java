package dev.infuse.bench.methods;

import dev.infuse.inject.zeo.ZeoPipeline;
import dev.infuse.inject.zeo.ZeoSpec;
import java.nio.file.Path;

/** {@code zeo:0|1|2}: ZEO's knowledge vectors and joint training with one {@code --inject} setting. */
final class ZeoInjection implements InjectionMethod {
    private final int inject;

    /** @param inject 0 = MLM only, 1 = triplet only, 2 = both */
    ZeoInjection(int inject) {
        this.inject = inject;
    }

    int inject() {
        return inject;
    }

    @Override
    public String model(String base, Path dir) {
        return dir.resolve("model").toString();
    }

    @Override
    public void inject(InjectionJob job) {
        new ZeoPipeline(job.base(), job.domain(), job.dir(), null, new ZeoSpec.Settings(inject, job.contrastiveWeight(), 1), job.pretraining(),
                InjectionJob.hasCheckpoint(job.dir().resolve("model")), false, job.vectors(), job.vectorLength()).run(job.log());
    }
}
