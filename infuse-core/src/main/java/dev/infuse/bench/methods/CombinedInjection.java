package dev.infuse.bench.methods;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code a+b}: several methods at once, each run in a directory of its own under the combination's. At most
 * one of them may change the model; it runs first, and the others then work on the model it made (a PELT
 * table has to be built by the model that reads it). The exception is {@code vocab}: beside a method that
 * pretrains by masking it runs first as the extension alone, and that method pretrains from its model. The tasks get every part's plug-ins, which their stack
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

    /** The index of the vocabulary extension among the parts, or -1. */
    private int vocab() {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof VocabInjection) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the part that changes the model, or -1. A vocabulary extension gives way to a part that pretrains by
     * masking: it only extends, and that part trains from the extended model.
     */
    private int changer(String base, Path dir) {
        int found = -1;
        int vocab = vocab();
        for (int i = 0; i < parts.size(); i++) {
            if (i != vocab && !parts.get(i).model(base, partDir(dir, i)).equals(base)) {
                if (found >= 0) {
                    throw new InfuseException(names.get(found) + " and " + names.get(i) + " cannot be combined: both change the model");
                }
                found = i;
            }
        }
        if (vocab >= 0 && found >= 0 && !parts.get(found).trainsNewRows()) {
            throw new InfuseException(names.get(vocab) + " and " + names.get(found) + " cannot be combined: " + names.get(found)
                    + " would not train the new words' rows (vocab combines with the masking methods and the plug-ins)");
        }
        return found >= 0 ? found : vocab;
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
        int v = vocab();
        String start = job.base();
        if (v >= 0 && v != c) { // the extension alone, and the changing part trains from it
            start = ((VocabInjection) parts.get(v)).extend(job.in(partDir(job.dir(), v), job.base()));
        }
        String model = start;
        if (c >= 0) {
            parts.get(c).inject(job.in(partDir(job.dir(), c), start));
            model = parts.get(c).model(start, partDir(job.dir(), c));
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i != c && i != v) {
                parts.get(i).inject(job.in(partDir(job.dir(), i), model));
            }
        }
    }
}
