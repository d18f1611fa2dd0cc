package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;

/** {@code pelt}: the base model, unchanged, plus an entity table for the entities the tasks name. */
final class PeltInjection implements InjectionMethod {
    @Override
    public String model(String base, Path dir) {
        return base;
    }

    @Override
    public Path table(Path dir) {
        return dir.resolve("table.pelt");
    }

    @Override
    public void inject(InjectionJob job) {
        try (MaskedLm lm = MaskedLm.load(job.base())) {
            PeltBuilder.build(lm, DomainBundle.open(job.domain()), PeltOptions.defaults().withEntities(job.entities()), table(job.dir()),
                    s -> job.log().println("infuse: " + s));
        }
    }
}
