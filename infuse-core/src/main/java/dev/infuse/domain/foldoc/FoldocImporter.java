package dev.infuse.domain.foldoc;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleWriter;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.domain.Slugs;
import dev.infuse.domain.Triple;
import dev.infuse.text.MentionMatcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns FOLDOC entries into a bundle.
 *
 * <ul>
 *   <li>Entity per distinct first headword: id = {@link Slugs slug}, name = headword, aliases = the
 *       entry's other headwords plus a leading "(ABBR)" in the first sense when ABBR is the name's initials; type = first subject tag
 *       (first comma part, e.g. {@code <networking, protocol>} gives "networking"), else "unknown";
 *       description = the cleaned first paragraph. Each subject tag is also an entity
 *       {@code category:<slug>} of type "category".</li>
 *   <li>Passages {@code <entity id>#<n>}: cleaned paragraphs. Mentions come first from
 *       {@code {cross-references}} whose text is a name or alias (case-insensitive), then from the
 *       {@link MentionMatcher} (case-sensitive) in the remaining text, skipping surfaces that are
 *       not {@link #matchable(String) distinctive}.</li>
 *   <li>Triples: {@code see_also} for each resolvable cross-reference (also trying the singular of
 *       a plural), {@code category} for each subject tag.</li>
 * </ul>
 */
public final class FoldocImporter {
    private static final Pattern ABBR = Pattern.compile("^\\(([A-Z][A-Za-z0-9/&+.-]{1,11})\\)\\s");
    /** Surfaces never matched by the dictionary matcher (cross-references to them are still kept). */
    static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "go",
            "he", "if", "in", "is", "it", "no", "not", "of", "on", "or", "so", "the", "this", "to", "up", "us", "we",
            "with", "one", "two", "all", "any", "can", "may", "will", "use", "used", "see", "also", "etc", "e.g", "i.e");

    private FoldocImporter() {}

    /** The imported bundle, in memory (FOLDOC is small: about 15k entries). */
    /**
     * The imported bundle, plus which mentions came from cross-reference markup ({@code fromRefs},
     * keyed {@code passageId + ":" + start}); the bundle format does not record a mention's origin.
     */
    public record Result(List<Entity> entities, List<Passage> passages, List<Triple> triples, int refs, int refsResolved,
            Set<String> fromRefs) {}

    public static Result convert(List<String> rawEntries) {
        Map<String, List<FoldocEntry>> byName = new LinkedHashMap<>();
        for (String raw : rawEntries) {
            FoldocEntry e = FoldocEntry.parse(raw);
            if (!e.headwords().isEmpty() && !e.paragraphs().isEmpty()) {
                byName.computeIfAbsent(e.headwords().get(0), k -> new ArrayList<>()).add(e);
            }
        }
        if (byName.isEmpty()) {
            throw new InfuseException("FOLDOC source holds no entries with a headword and a definition");
        }
        Map<String, String> ids = Slugs.assign(byName.keySet());
        List<Entity> entities = new ArrayList<>();
        Map<String, String> categories = new LinkedHashMap<>();
        for (var g : byName.entrySet()) {
            FoldocEntry first = g.getValue().get(0);
            Set<String> aliases = new LinkedHashSet<>();
            List<String> tags = new ArrayList<>();
            for (FoldocEntry e : g.getValue()) {
                e.headwords().stream().skip(1).filter(h -> !h.contains("&#") && !h.equalsIgnoreCase(g.getKey())).forEach(aliases::add);
                tags.addAll(e.tags());
            }
            String firstPara = first.paragraphs().get(0).text();
            Matcher m = ABBR.matcher(firstPara);
            if (m.find() && !m.group(1).equalsIgnoreCase(g.getKey()) && initials(g.getKey()).equalsIgnoreCase(m.group(1).replaceAll("[^A-Za-z]", ""))) {
                aliases.add(m.group(1));
            }
            tags.forEach(t -> categories.putIfAbsent(t, null));
            entities.add(new Entity(ids.get(g.getKey()), g.getKey(), List.copyOf(aliases),
                    tags.isEmpty() ? "unknown" : tags.get(0), firstPara));
        }
        Slugs.assign(categories.keySet()).forEach((tag, slug) -> categories.put(tag, "category:" + slug));
        List<Entity> all = new ArrayList<>(entities);
        categories.forEach((tag, id) -> all.add(new Entity(id, tag, List.of(), "category", "FOLDOC subject category")));

        Map<String, String> exact = new HashMap<>();
        Map<String, Set<String>> folded = new HashMap<>();
        MentionMatcher.Builder mb = MentionMatcher.builder();
        for (Entity e : entities) {
            List<String> surfaces = new ArrayList<>();
            surfaces.add(e.name());
            surfaces.addAll(e.aliases());
            for (String s : surfaces) {
                exact.putIfAbsent(s, e.id());
                folded.computeIfAbsent(s.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(e.id());
                if (matchable(s)) {
                    mb.add(s, e.id(), s.equals(e.name()));
                }
            }
        }
        MentionMatcher matcher = mb.build();

        List<Passage> passages = new ArrayList<>();
        Set<Triple> triples = new LinkedHashSet<>();
        int refs = 0;
        int resolved = 0;
        Set<String> fromRefKeys = new java.util.HashSet<>();
        for (var g : byName.entrySet()) {
            String id = ids.get(g.getKey());
            int n = 0;
            for (FoldocEntry e : g.getValue()) {
                for (String t : e.tags()) {
                    triples.add(new Triple(id, "category", categories.get(t)));
                }
                for (FoldocEntry.Paragraph p : e.paragraphs()) {
                    List<Mention> mentions = new ArrayList<>();
                    for (FoldocEntry.Ref r : p.refs()) {
                        refs++;
                        String surface = p.text().substring(r.start(), r.end());
                        String target = resolve(surface, exact, folded);
                        if (target != null) {
                            resolved++;
                            mentions.add(new Mention(r.start(), r.end(), target));
                        }
                        String rel = target != null ? target : singular(surface, exact, folded);
                        if (rel != null && !rel.equals(id)) {
                            triples.add(new Triple(id, "see_also", rel));
                        }
                    }
                    List<Mention> fromRefs = List.copyOf(mentions);
                    String pid = id + "#" + (n + 1);
                    fromRefs.forEach(r -> fromRefKeys.add(pid + ":" + r.start()));
                    matcher.match(p.text(), x -> {
                        for (Mention r : fromRefs) {
                            if (x.start() < r.end() && r.start() < x.end()) {
                                return;
                            }
                        }
                        mentions.add(new Mention(x.start(), x.end(), x.entity()));
                    });
                    mentions.sort((a, b) -> Integer.compare(a.start(), b.start()));
                    passages.add(new Passage(id + "#" + (++n), p.text(), mentions));
                }
            }
        }
        return new Result(all, passages, new ArrayList<>(triples), refs, resolved, fromRefKeys);
    }

    /** Imports {@code source} into a gzipped bundle at {@code output}. */
    public static Result importTo(Path source, Path output, boolean gzip) {
        Result r = convert(FoldocSource.read(source));
        BundleWriter w = new BundleWriter(output, gzip);
        w.writeEntities(r.entities());
        w.writeCorpus(r.passages().iterator());
        w.writeTriples(r.triples());
        return r;
    }

    /**
     * Whether the dictionary matcher should look for {@code s}. One-character names and stop words
     * would match everywhere; plain lower-case single words ("free", "named") are FOLDOC entries but
     * mostly ordinary English in running text, so only their explicit cross-references count.
     */
    static boolean matchable(String s) {
        if (s.codePointCount(0, s.length()) < 2 || STOP.contains(s.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return !s.chars().allMatch(c -> c >= 'a' && c <= 'z');
    }

    /** "Transmission Control Protocol" gives "TCP": a "(XYZ)" alias is trusted only if it matches. */
    static String initials(String name) {
        StringBuilder sb = new StringBuilder();
        for (String w : name.split("[\\s-]+")) {
            if (!w.isEmpty() && Character.isLetter(w.charAt(0))) {
                sb.append(w.charAt(0));
            }
        }
        return sb.toString();
    }

    /** Exact spelling first, then a unique case-insensitive match; null if none or ambiguous. */
    private static String resolve(String s, Map<String, String> exact, Map<String, Set<String>> folded) {
        String id = exact.get(s);
        if (id != null) {
            return id;
        }
        Set<String> c = folded.get(s.toLowerCase(Locale.ROOT));
        return c != null && c.size() == 1 ? c.iterator().next() : null;
    }

    private static String singular(String s, Map<String, String> exact, Map<String, Set<String>> folded) {
        if (s.endsWith("ies")) {
            return resolve(s.substring(0, s.length() - 3) + "y", exact, folded);
        }
        if (s.endsWith("es")) {
            String r = resolve(s.substring(0, s.length() - 2), exact, folded);
            if (r != null) {
                return r;
            }
        }
        return s.endsWith("s") ? resolve(s.substring(0, s.length() - 1), exact, folded) : null;
    }
}
