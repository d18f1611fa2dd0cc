package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.kbert.KbertKnowledge;
import dev.infuse.inject.kbert.KbertOptions;
import dev.infuse.inject.kbert.KnowledgeGraph;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kbert}: the base model, unchanged, plus the bundle's triples as a K-BERT graph that the tasks turn into
 * sentence trees. Nothing is trained, so its injection cost is reading the graph; the knowledge arrives at task
 * time, the way PELT's table does.
 */
final class KbertInjection implements InjectionMethod {
    @Override
    public String model(String base, Path dir) {
        return base;
    }

    private static Path graph(Path dir) {
        return dir.resolve("graph.spo");
    }

    /** Branches are drawn with the first seed: the features are computed once for every seed's head. */
    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of(new KbertKnowledge.Spec(new KbertOptions(graph(dir), KbertOptions.DEFAULT_BRANCHES, true, seed)));
    }

    @Override
    public void inject(InjectionJob job) {
        KnowledgeGraph g = KnowledgeGraph.fromBundle(DomainBundle.open(job.domain()));
        g.write(graph(job.dir()));
        job.log().println("infuse: kbert: " + g.subjects() + " subjects, " + g.triples() + " triples from " + job.domain() + " in " + graph(job.dir()));
    }
}
