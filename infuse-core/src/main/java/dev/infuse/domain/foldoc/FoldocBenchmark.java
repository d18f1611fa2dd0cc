package dev.infuse.domain.foldoc;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.infuse.domain.BundleWriter;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.domain.Triple;
import dev.infuse.text.SurfaceKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.zip.CRC32;

/**
 * Derives evaluation tasks from an imported FOLDOC: LAMA-style probes, entity typing and silver NER,
 * split by entity, with a rare/frequent bucket per entity. Deterministic: no randomness, only
 * hashes of entity ids and input order.
 *
 * <p>Word-piece counts come in as a function so this class does not depend on a tokenizer
 * implementation; the CLI passes BERT's WordPiece tokenizer.
 */
public final class FoldocBenchmark {
    /**
     * Type probe templates. One template serves a whole group of types so that the template cannot give
     * the answer away: an earlier version had "[X] is a programming [MASK]." for languages, which any
     * model answers without knowing X. Now "kind of" covers 19 answers and "field of" 20.
     */
    static final Map<String, String> TYPE_TEMPLATES = new LinkedHashMap<>();

    static {
        for (String kind : List.of("language", "company", "person", "protocol", "jargon", "algorithm", "database", "tool",
                "standard", "unit", "character", "library", "application", "project", "publication", "printer", "computer",
                "processor", "software")) {
            TYPE_TEMPLATES.put(kind, "[X] is a kind of [MASK].");
        }
        for (String field : List.of("networking", "programming", "hardware", "communications", "mathematics",
                "storage", "security", "graphics", "theory", "logic", "electronics", "testing", "cryptography",
                "messaging", "games", "data", "legal", "education", "architecture", "web")) {
            TYPE_TEMPLATES.put(field, "[X] is a term from the field of [MASK].");
        }
    }

    static final String RELATION_TEMPLATE = "[X] is closely related to [MASK].";

    /** Counts of what was written, for the README. */
    public record Counts(Map<String, Integer> counts) {}

    private final FoldocImporter.Result data;
    private final ToIntFunction<String> pieces;
    private final int rareMax;
    private final Map<String, Entity> byId = new HashMap<>();
    private final Map<String, Integer> mentionCount = new HashMap<>();

    public FoldocBenchmark(FoldocImporter.Result data, ToIntFunction<String> pieceCount, int rareMax) {
        this.data = data;
        this.pieces = pieceCount;
        this.rareMax = rareMax;
        data.entities().forEach(e -> byId.put(e.id(), e));
        for (Passage p : data.passages()) {
            p.mentions().forEach(m -> mentionCount.merge(m.entity(), 1, Integer::sum));
        }
    }

    /** "rare" if the name needs several word pieces and has at most {@code rareMax} corpus mentions. */
    public String bucket(Entity e) {
        return pieces.applyAsInt(e.name()) > 1 && mentionCount.getOrDefault(e.id(), 0) <= rareMax ? "rare" : "frequent";
    }

    /** Split by a hash of the entity id: about 80% train, 10% dev, 10% test; stable across runs. */
    public static String split(String entityId) {
        CRC32 c = new CRC32();
        c.update(entityId.getBytes(StandardCharsets.UTF_8));
        long r = c.getValue() % 10;
        return r == 0 ? "test" : r == 1 ? "dev" : "train";
    }

    public Counts write(Path out) {
        Map<String, Integer> counts = new TreeMap<>();
        Set<String> corpusSentences = new HashSet<>();
        for (Passage p : data.passages()) {
            for (int[] s : Sentences.spans(p.text(), p.mentions())) {
                corpusSentences.add(norm(p.text().substring(s[0], s[1])));
            }
        }
        List<JsonObject> probes = probes(corpusSentences, counts);
        BundleWriter.writeLines(out.resolve("probes.jsonl.gz"), probes.iterator(), JsonObject::toString);
        Map<String, List<JsonObject>> typing = typing();
        for (var e : typing.entrySet()) {
            BundleWriter.writeLines(out.resolve("typing").resolve(e.getKey() + ".jsonl.gz"), e.getValue().iterator(), JsonObject::toString);
            counts.put("typing." + e.getKey(), e.getValue().size());
        }
        Map<String, List<Ner.Sentence>> ner = Ner.build(data, byId, FoldocBenchmark::split);
        for (var e : ner.entrySet()) {
            BundleWriter.writeLines(out.resolve("ner").resolve(e.getKey() + ".conll.gz"), e.getValue().iterator(), Ner.Sentence::conll);
            counts.put("ner." + e.getKey() + ".sentences", e.getValue().size());
        }
        List<String> buckets = nerBuckets(ner);
        BundleWriter.writeLines(out.resolve("ner").resolve("buckets.tsv.gz"), buckets.iterator(), l -> l);
        counts.put("ner.bucket_surfaces", buckets.size());
        return new Counts(counts);
    }

    /**
     * {@code surface<TAB>bucket} for every labelled NER surface, sorted; a surface that names entities of
     * both buckets is left out, since a chunk of it could not be told apart.
     */
    private List<String> nerBuckets(Map<String, List<Ner.Sentence>> ner) {
        Map<String, String> surface = new TreeMap<>(); // key -> first surface seen
        Map<String, String> bucket = new HashMap<>();
        for (List<Ner.Sentence> split : ner.values()) {
            for (Ner.Sentence s : split) {
                s.surfaces().forEach((text, id) -> {
                    String k = SurfaceKey.of(text);
                    String b = bucket(byId.get(id));
                    surface.putIfAbsent(k, text);
                    bucket.merge(k, b, (x, y) -> x.equals(y) ? x : "");
                });
            }
        }
        List<String> lines = new ArrayList<>();
        surface.forEach((k, text) -> {
            if (!bucket.get(k).isEmpty()) {
                lines.add(text + "\t" + bucket.get(k));
            }
        });
        return lines;
    }

    /**
     * Whether the subject's name already spells the answer ("Hope+" is related to "Hope"): such probes
     * test copying, not knowledge, and they favour multi-piece names, so they would blur the buckets.
     */
    static boolean givesAway(String subject, String answer) {
        String s = subject.toLowerCase(java.util.Locale.ROOT);
        String a = answer.toLowerCase(java.util.Locale.ROOT);
        return s.contains(a) || a.contains(s);
    }

    private List<JsonObject> probes(Set<String> corpusSentences, Map<String, Integer> counts) {
        List<JsonObject> out = new ArrayList<>();
        for (Entity e : data.entities()) {
            String tpl = TYPE_TEMPLATES.get(e.type());
            if (tpl != null && pieces.applyAsInt(e.type()) == 1 && !givesAway(e.name(), e.type())) {
                add(out, e, e.type(), "type", tpl, corpusSentences, counts);
            }
        }
        Set<String> seenHeads = new HashSet<>();
        for (Triple t : data.triples()) {
            Entity h = byId.get(t.head());
            Entity tail = byId.get(t.tail());
            // One relation probe per head: see_also lists are unordered, so the others are also right answers.
            if (t.relation().equals("see_also") && h != null && tail != null && pieces.applyAsInt(tail.name()) == 1
                    && !givesAway(h.name(), tail.name()) && seenHeads.add(h.id())) {
                add(out, h, tail.name(), "see_also", RELATION_TEMPLATE, corpusSentences, counts);
            }
        }
        return out;
    }

    private void add(List<JsonObject> out, Entity e, String obj, String relation, String tpl, Set<String> corpus,
            Map<String, Integer> counts) {
        if (e.name().codePoints().filter(Character::isLetter).count() < 2) {
            return; // "()" or "$1" as a subject tests punctuation, not knowledge
        }
        String masked = tpl.replace("[X]", e.name());
        if (corpus.contains(norm(masked.replace("[MASK]", obj))) || corpus.contains(norm(masked))) {
            counts.merge("probes.dropped_verbatim", 1, Integer::sum);
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("sub_label", e.name());
        o.addProperty("obj_label", obj);
        JsonArray ms = new JsonArray();
        ms.add(masked);
        o.add("masked_sentences", ms);
        o.addProperty("relation", relation);
        o.addProperty("bucket", bucket(e));
        o.addProperty("entity", e.id());
        out.add(o);
        counts.merge("probes." + relation + "." + bucket(e), 1, Integer::sum);
    }

    /**
     * Up to {@link #TYPING_PER_ENTITY} typing examples per entity, from sentences of OTHER entries that
     * mention it, cut to a window of at most {@link #WINDOW} chars around the mention.
     */
    private Map<String, List<JsonObject>> typing() {
        Map<String, List<JsonObject>> out = new TreeMap<>();
        Map<String, Integer> perEntity = new HashMap<>();
        for (Passage p : data.passages()) {
            String owner = p.id().substring(0, p.id().lastIndexOf('#'));
            for (int[] s : Sentences.spans(p.text(), p.mentions())) {
                for (Mention m : p.mentions()) {
                    Entity e = byId.get(m.entity());
                    if (m.start() < s[0] || m.end() > s[1] || e == null || m.entity().equals(owner)
                            || e.type().equals("unknown") || e.type().equals("category")
                            || perEntity.merge(e.id(), 1, Integer::sum) > TYPING_PER_ENTITY) {
                        continue;
                    }
                    int[] w = window(p.text(), s, m);
                    JsonObject o = new JsonObject();
                    o.addProperty("text", p.text().substring(w[0], w[1]));
                    o.addProperty("start", m.start() - w[0]);
                    o.addProperty("end", m.end() - w[0]);
                    o.addProperty("label", e.type());
                    o.addProperty("entity", e.id());
                    o.addProperty("bucket", bucket(e));
                    out.computeIfAbsent(split(e.id()), k -> new ArrayList<>()).add(o);
                }
            }
        }
        return out;
    }

    static final int TYPING_PER_ENTITY = 2;
    static final int WINDOW = 240;

    /** The sentence, or if longer than {@link #WINDOW}, a window around the mention cut at spaces. */
    static int[] window(String text, int[] s, Mention m) {
        if (s[1] - s[0] <= WINDOW) {
            return s;
        }
        int side = Math.max(0, (WINDOW - (m.end() - m.start())) / 2);
        int a = Math.max(s[0], m.start() - side);
        int b = Math.min(s[1], m.end() + side);
        if (a > s[0]) {
            int sp = text.indexOf(' ', a);
            a = sp >= 0 && sp < m.start() ? sp + 1 : m.start();
        }
        if (b < s[1]) {
            int sp = text.lastIndexOf(' ', b);
            b = sp >= m.end() ? sp : m.end();
        }
        return new int[] {a, b};
    }

    static String norm(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }
}
