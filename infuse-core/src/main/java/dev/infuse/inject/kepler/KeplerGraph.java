package dev.infuse.inject.kepler;

import dev.infuse.InfuseException;
import dev.infuse.kge.KgIds;
import dev.infuse.kge.TripleFile;
import dev.infuse.kge.Triples;
import java.util.List;

/**
 * The graph KEPLER trains on: its triples as rows of an entity and a relation dictionary (in order of first
 * appearance), and each entity's description. Every entity of a triple must have a description, since its embedding
 * is computed from it; one that has none is an error naming the entity and the line that uses it.
 */
public record KeplerGraph(KgIds ids, Triples triples, List<String> descriptions) {
    public static KeplerGraph of(List<TripleFile.Row> rows, Descriptions source) {
        KgIds ids = KgIds.of(List.of(), List.of(), List.of(rows));
        String[] text = new String[ids.entities().size()];
        for (int i = 0; i < text.length; i++) {
            text[i] = source.of(ids.entities().get(i));
        }
        for (TripleFile.Row r : rows) { // the first line that uses an undescribed entity names it
            for (String e : new String[] {r.head(), r.tail()}) {
                if (source.of(e) == null) {
                    throw new InfuseException(r.where() + ": the entity \"" + e + "\" has no description in " + source.describe()
                            + "; KEPLER embeds every entity from its description");
                }
            }
        }
        return new KeplerGraph(ids, ids.index(rows, "not in the graph"), List.of(text));
    }

    public int entityCount() {
        return ids.entities().size();
    }
}
