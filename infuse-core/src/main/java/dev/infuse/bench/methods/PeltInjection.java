package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltKnowledge;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.List;

/** {@code pelt}: the base model, unchanged, plus an entity table for the entities the tasks name. */
final class PeltInjection implements InjectionMethod {
    @Override
    public String model(String base, Path dir) {
        return base;
    }

    private static Path table(Path dir) {
        return dir.resolve("table.pelt");
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new PeltKnowledge.Spec(table(dir), peltNorm));
    }

    @Override
    public void inject(InjectionJob job) {
        try (MaskedLm lm = MaskedLm.load(job.base())) {
            PeltBuilder.build(lm, DomainBundle.open(job.domain()), PeltOptions.defaults().withEntities(job.entities()), table(job.dir()),
                    s -> job.log().println("infuse: " + s));
        }
    }
}
