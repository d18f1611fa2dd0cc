package dev.infuse.bench.methods;

import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.inject.ernie.KgeConcat;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kge-concat}: TransE vectors of the bundle's triples, as {@code ernie} trains them, appended to the states
 * the task heads read (the mean vector of each text's linked entities); the encoder stays the base model. The
 * vectors and the names that link them are kept in the method's directory, so the tasks need no bundle.
 */
final class KgeConcatInjection implements InjectionMethod {
    @Override
    public String model(String base, Path dir) {
        return base;
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new SavedKnowledge(KgeConcat.NAME, dir));
    }

    @Override
    public void inject(InjectionJob job) {
        KgeConcat.writeVectors(ErnieInjection.trainedKge(job), job.domain(), job.dir());
    }
}
