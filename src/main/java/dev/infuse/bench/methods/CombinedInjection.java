package dev.infuse.bench.methods;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code a+b}: several methods at once, each run in a directory of its own under the combination's. At most
 * one of them may change the model; it runs first, and the others then work on the model it made (a PELT
 * table has to be built by the model that reads it). The tasks get every part's plug-ins, which their stack
 * composes (PELT's slots inside K-BERT's tree, an adapter on top) or refuses naming both.
 */
final class CombinedInjection implements InjectionMethod {
    private final List<String> names;
    private final List<InjectionMethod> parts;

    CombinedInjection(List<String> names, List<InjectionMethod> parts) {
        this.names = List.copyOf(names);
        this.parts = List.copyOf(parts);
    }

    private Path partDir(Path dir, int i) {
        return dir.resolve(names.get(i).replace(':', '-'));
    }

    /** The index of the part that changes the model, or -1. */
    private int changer(String base, Path dir) {
        int found = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (!parts.get(i).model(base, partDir(dir, i)).equals(base)) {
                if (found >= 0) {
                    throw new InfuseException(names.get(found) + " and " + names.get(i) + " cannot be combined: both change the model");
                }
                found = i;
            }
        }
        return found;
    }

    @Override
    public String model(String base, Path dir) {
        int c = changer(base, dir);
        return c < 0 ? base : parts.get(c).model(base, partDir(dir, c));
    }

    @Override
    public List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        List<KnowledgeSpec> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            out.addAll(parts.get(i).knowledge(partDir(dir, i), seed, peltNorm));
        }
        return out;
    }

    @Override
    public void inject(InjectionJob job) {
        int c = changer(job.base(), job.dir());
        String model = job.base();
        if (c >= 0) {
            parts.get(c).inject(job.in(partDir(job.dir(), c), job.base()));
            model = parts.get(c).model(job.base(), partDir(job.dir(), c));
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i != c) {
                parts.get(i).inject(job.in(partDir(job.dir(), i), model));
            }
        }
    }
}
