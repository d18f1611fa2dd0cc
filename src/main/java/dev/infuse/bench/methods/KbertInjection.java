package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.kbert.KnowledgeGraph;
import java.nio.file.Path;

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

    @Override
    public Path graph(Path dir) {
        return dir.resolve("graph.spo");
    }

    @Override
    public void inject(InjectionJob job) {
        KnowledgeGraph g = KnowledgeGraph.fromBundle(DomainBundle.open(job.domain()));
        g.write(graph(job.dir()));
        job.log().println("infuse: kbert: " + g.subjects() + " subjects, " + g.triples() + " triples from " + job.domain() + " in " + graph(job.dir()));
    }
}
