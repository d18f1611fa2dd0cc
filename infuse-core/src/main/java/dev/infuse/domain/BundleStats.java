package dev.infuse.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Counts that describe a bundle at a glance. The corpus is streamed; only per-entity mention
 * counters are held, so memory follows the number of entities, not the corpus size.
 */
public record BundleStats(int entities, Map<String, Integer> types, int aliases, long passages, long mentions,
        Map<String, Integer> mentionsPerEntity, Map<String, Integer> triplesPerRelation) {

    /** Histogram buckets of mentions per entity, as labels in display order. */
    static final List<String> BUCKETS = List.of("0", "1", "2-4", "5-9", "10-99", "100+");

    public static BundleStats of(DomainBundle b) {
        Map<String, Integer> perEntity = new HashMap<>();
        long passages = 0;
        long mentions = 0;
        try (Stream<Passage> s = b.passages()) {
            for (Passage p : (Iterable<Passage>) s::iterator) {
                passages++;
                mentions += p.mentions().size();
                for (Mention m : p.mentions()) {
                    perEntity.merge(m.entity(), 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> rel = new TreeMap<>();
        try (Stream<Triple> s = b.triples()) {
            s.forEach(t -> rel.merge(t.relation(), 1, Integer::sum));
        }
        return of(b.entities(), passages, mentions, perEntity, rel);
    }

    /**
     * The statistics from counts made elsewhere (a job that counts a corpus in parts): the passages, their
     * mentions, the mentions of each entity id, and the triples of each relation.
     */
    public static BundleStats of(List<Entity> es, long passages, long mentions, Map<String, Integer> perEntity,
            Map<String, Integer> triplesPerRelation) {
        Map<String, Integer> types = new TreeMap<>();
        int aliases = 0;
        for (Entity e : es) {
            types.merge(e.type().isEmpty() ? "(none)" : e.type(), 1, Integer::sum);
            aliases += e.aliases().size();
        }
        Map<String, Integer> hist = new java.util.LinkedHashMap<>();
        BUCKETS.forEach(k -> hist.put(k, 0));
        for (Entity e : es) {
            hist.merge(bucket(perEntity.getOrDefault(e.id(), 0)), 1, Integer::sum);
        }
        return new BundleStats(es.size(), types, aliases, passages, mentions, hist, new TreeMap<>(triplesPerRelation));
    }

    static String bucket(int n) {
        return n == 0 ? "0" : n == 1 ? "1" : n < 5 ? "2-4" : n < 10 ? "5-9" : n < 100 ? "10-99" : "100+";
    }

    /** Human-readable report; types beyond the 15 most common are summarised in one line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("entities: ").append(entities).append('\n');
        sb.append("types: ").append(types.size()).append('\n');
        types.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(15)
                .forEach(t -> sb.append("  ").append(t.getKey()).append(": ").append(t.getValue()).append('\n'));
        if (types.size() > 15) {
            sb.append("  (").append(types.size() - 15).append(" more types)\n");
        }
        sb.append("aliases: ").append(aliases).append('\n');
        sb.append("passages: ").append(passages).append('\n');
        sb.append("mentions: ").append(mentions).append('\n');
        sb.append("mentions per entity (entities with that many mentions):\n");
        mentionsPerEntity.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        long triples = triplesPerRelation.values().stream().mapToLong(Integer::longValue).sum();
        sb.append("triples: ").append(triples).append('\n');
        triplesPerRelation.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }
}
