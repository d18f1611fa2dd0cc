package dev.infuse.inject.kbert;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Lines;
import dev.infuse.domain.Triple;
import dev.infuse.io.AtomicFiles;
import dev.infuse.text.MentionMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * K-BERT's knowledge graph: for every subject surface, its (predicate, object) branches in file order.
 *
 * <p><b>Sources.</b> A K-BERT {@code .spo} file (one {@code subject<TAB>predicate<TAB>object} per line,
 * gzipped or not; blank lines skipped; any other line without exactly three non-empty fields is an error
 * naming {@code file:line}), or a domain bundle directory, whose {@code triples.tsv} ids are resolved to
 * entity names: the subject is the head's name, the predicate the relation with {@code _} read as a space,
 * the object the tail's name. Bundle aliases are not used, so a graph written back as {@code .spo}
 * ({@link #write}) links exactly as the bundle did. A triple given twice counts once.
 *
 * <p><b>Linking.</b> Subjects are found in text by {@link MentionMatcher}, case-sensitively (K-BERT looks
 * words up exactly), longest-leftmost at word boundaries; in scripts written without spaces any character
 * boundary is a word boundary.
 *
 * <p><b>Choosing branches.</b> {@link #choose} keeps a subject's branches in file order when it has at most
 * {@code max}; otherwise it draws {@code max} of them without replacement, by a shuffle seeded with the run's
 * seed and the subject's text, and returns them in file order. So the same subject gets the same branches in
 * every sentence, in training and in evaluation, and a different seed draws others.
 */
public final class KnowledgeGraph {
    /** One (predicate, object) pair hung on a subject. */
    public record Branch(String predicate, String object) {}

    private final Map<String, List<Branch>> bySubject;
    private final String source;
    private MentionMatcher matcher;
    private String fingerprint;

    private KnowledgeGraph(Map<String, List<Branch>> bySubject, String source) {
        this.bySubject = bySubject;
        this.source = source;
    }

    /** From subject to branches, in the map's order; for tests and built graphs. */
    public static KnowledgeGraph of(Map<String, List<Branch>> bySubject, String source) {
        Map<String, List<Branch>> m = new LinkedHashMap<>();
        bySubject.forEach((s, b) -> m.put(s, List.copyOf(new LinkedHashSet<>(b))));
        return new KnowledgeGraph(Collections.unmodifiableMap(m), source);
    }

    /** A bundle directory or a {@code .spo} file (any other file is read as {@code .spo} too). */
    public static KnowledgeGraph read(Path path) {
        if (Files.isDirectory(path)) {
            return fromBundle(DomainBundle.open(path));
        }
        if (!Files.isRegularFile(path)) {
            throw new InfuseException("--kg " + path + ": no such file or bundle directory");
        }
        return readSpo(path);
    }

    /** Reads a K-BERT {@code .spo} file; a malformed line is one error naming {@code file:line}. */
    public static KnowledgeGraph readSpo(Path file) {
        Map<String, LinkedHashSet<Branch>> m = new LinkedHashMap<>();
        try (Lines in = Lines.open(file)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                String where = file + ":" + l.number();
                if (l.text() == null) {
                    throw new InfuseException(where + ": invalid UTF-8, expected UTF-8 text");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                String[] f = l.text().split("\t", -1);
                if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
                    throw new InfuseException(where + ": found " + f.length + " tab-separated field" + (f.length == 1 ? "" : "s")
                            + (f.length == 3 ? " with an empty one" : "") + ", expected 3 non-empty (subject, predicate, object)");
                }
                m.computeIfAbsent(f[0].strip(), k -> new LinkedHashSet<>()).add(new Branch(f[1].strip(), f[2].strip()));
            }
        }
        if (m.isEmpty()) {
            throw new InfuseException(file + ": no triples found, expected lines 'subject<TAB>predicate<TAB>object'");
        }
        return fromSets(m, file.toString());
    }

    /** The bundle's triples with ids resolved to names; a triple naming an unknown id is an error. */
    public static KnowledgeGraph fromBundle(DomainBundle bundle) {
        Map<String, Entity> byId = bundle.entitiesById();
        Map<String, LinkedHashSet<Branch>> m = new LinkedHashMap<>();
        try (Stream<Triple> triples = bundle.triples()) {
            triples.forEach(t -> {
                Entity h = byId.get(t.head());
                Entity o = byId.get(t.tail());
                if (h == null || o == null) {
                    throw new InfuseException(bundle.dir() + ": triple " + t.head() + " " + t.relation() + " " + t.tail()
                            + " names an entity id that entities.jsonl does not have");
                }
                m.computeIfAbsent(h.name(), k -> new LinkedHashSet<>()).add(new Branch(t.relation().replace('_', ' '), o.name()));
            });
        }
        if (m.isEmpty()) {
            throw new InfuseException(bundle.dir() + ": the bundle has no triples, so it gives K-BERT no graph");
        }
        return fromSets(m, bundle.dir().toString());
    }

    private static KnowledgeGraph fromSets(Map<String, LinkedHashSet<Branch>> m, String source) {
        Map<String, List<Branch>> out = new LinkedHashMap<>();
        m.forEach((s, b) -> out.put(s, List.copyOf(b)));
        return new KnowledgeGraph(Collections.unmodifiableMap(out), source);
    }

    /** Writes the graph as a {@code .spo} file that {@link #readSpo} reads back into an equal graph. */
    public void write(Path file) {
        AtomicFiles.writeString(file, spoText());
    }

    /**
     * SHA-256 of the graph as {@link #write} spells it: the same for a bundle and the {@code .spo} written from
     * it, so a run's identity changes exactly when what can be inserted changes.
     */
    public synchronized String fingerprint() {
        if (fingerprint != null) {
            return fingerprint;
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(spoText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fingerprint = java.util.HexFormat.of().formatHex(h);
            return fingerprint;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String spoText() {
        StringBuilder sb = new StringBuilder();
        bySubject.forEach((s, bs) -> bs.forEach(b -> sb.append(s).append('\t').append(b.predicate()).append('\t').append(b.object()).append('\n')));
        return sb.toString();
    }

    /** Where the graph came from, for messages. */
    public String source() {
        return source;
    }

    public int subjects() {
        return bySubject.size();
    }

    /** Number of (subject, predicate, object) triples. */
    public int triples() {
        return bySubject.values().stream().mapToInt(List::size).sum();
    }

    /** Every subject's branches, in file order. */
    public Map<String, List<Branch>> bySubject() {
        return bySubject;
    }

    /** Finds subjects in text; the match's entity is the subject's surface. Built on first use. */
    public synchronized MentionMatcher matcher() {
        if (matcher == null) {
            MentionMatcher.Builder b = MentionMatcher.builder().caseSensitive(true);
            bySubject.keySet().forEach(s -> b.add(s, s, true));
            matcher = b.build();
        }
        return matcher;
    }

    /**
     * At most {@code max} branches of {@code subject}, chosen as the class comment says: all in file order when
     * there are no more than {@code max}, else a seeded draw returned in file order.
     */
    public List<Branch> choose(String subject, int max, long seed) {
        List<Branch> all = bySubject.getOrDefault(subject, List.of());
        if (all.size() <= max) {
            return all;
        }
        int[] idx = new int[all.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        // String.hashCode is fixed by the Java spec, so the draw is the same on every JVM.
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ subject.hashCode());
        for (int i = 0; i < max; i++) { // partial Fisher-Yates: the first max slots are the draw
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(idx, max);
        java.util.Arrays.sort(chosen);
        List<Branch> out = new ArrayList<>(max);
        for (int i : chosen) {
            out.add(all.get(i));
        }
        return out;
    }
}
