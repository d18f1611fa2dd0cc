package dev.infuse.domain;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports a K-BERT knowledge graph ({@code .spo}: subject, predicate, object surface names separated by
 * tabs) into a bundle. Every distinct subject or object becomes an entity named by its surface; the
 * graph carries no types or descriptions, so those stay empty. There is no corpus.
 */
public final class SpoImporter {
    private SpoImporter() {}

    /** Reads {@code source}, writes {@code entities.jsonl} and {@code triples.tsv} under {@code output}. */
    public static Summary importFile(Path source, Path output) {
        record Raw(String s, String p, String o) {}
        List<Raw> raw = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        try (Lines in = Lines.open(source)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                if (l.text() == null) {
                    throw new InfuseException(source + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                String[] f = l.text().split("\t", -1);
                if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
                    throw new InfuseException(source + ":" + l.number() + ": found " + f.length
                            + " tab-separated fields" + (f.length == 3 ? " with an empty one" : "")
                            + ", expected 3 non-empty (subject, predicate, object)");
                }
                Raw r = new Raw(f[0].strip(), f[1].strip(), f[2].strip());
                raw.add(r);
                names.add(r.s());
                names.add(r.o());
            }
        }
        if (raw.isEmpty()) {
            throw new InfuseException(source + ": no triples found, expected lines 'subject<TAB>predicate<TAB>object'");
        }
        Map<String, String> ids = Slugs.assign(names);
        List<Entity> entities = new ArrayList<>();
        ids.forEach((name, id) -> entities.add(new Entity(id, name, List.of(), "", "")));
        Set<Triple> triples = new LinkedHashSet<>();
        for (Raw r : raw) {
            triples.add(new Triple(ids.get(r.s()), r.p(), ids.get(r.o())));
        }
        BundleWriter w = new BundleWriter(output, false);
        w.writeEntities(entities);
        w.writeTriples(triples);
        return new Summary(entities.size(), triples.size(), raw.size() - triples.size());
    }

    /** What an import produced; {@code duplicates} counts repeated input triples that were dropped. */
    public record Summary(int entities, int triples, int duplicates) {}
}
