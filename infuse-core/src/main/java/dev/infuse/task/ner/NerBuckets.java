package dev.infuse.task.ner;

import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import dev.infuse.text.SurfaceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Buckets for NER (FOLDOC: rare and frequent entities), which CoNLL has no column for: a
 * {@code buckets.tsv} beside the CoNLL files maps an entity's surface to its bucket
 * ({@code surface<TAB>bucket}; surfaces compared by {@link SurfaceKey}: lower-cased with white space removed, because CoNLL
 * splits "C++" into "C + +"). A chunk, gold or predicted, belongs to the bucket of its surface; chunks
 * whose surface is not listed belong to none. Per bucket, recall is over its gold chunks and precision
 * over its predicted chunks.
 */
public final class NerBuckets {
    public static final String FILE = "buckets.tsv";

    private final Map<String, String> bySurface;

    public NerBuckets(Map<String, String> bySurface) {
        this.bySurface = Map.copyOf(bySurface);
    }

    /** The {@code buckets.tsv} (or {@code .gz}) beside {@code conll}, or null when there is none. */
    public static NerBuckets beside(Path conll) {
        Path dir = conll.toAbsolutePath().getParent();
        for (String name : List.of(FILE, FILE + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return read(p);
            }
        }
        return null;
    }

    public static NerBuckets read(Path file) {
        Map<String, String> m = new HashMap<>();
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                String line = l.text();
                if (line == null) {
                    throw new InfuseException(file + ":" + l.number() + ": not valid UTF-8");
                }
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0 || tab == line.length() - 1 || line.indexOf('\t', tab + 1) >= 0) {
                    throw new InfuseException(file + ":" + l.number() + ": expected surface<TAB>bucket");
                }
                m.put(SurfaceKey.of(line.substring(0, tab)), line.substring(tab + 1));
            }
        }
        return new NerBuckets(m);
    }

    /** The bucket of the chunk's words, or null. */
    String of(List<String> words, Chunk c) {
        return bySurface.get(SurfaceKey.of(String.join("", words.subList(c.start(), c.end()))));
    }

    /** Per-bucket tallies: {correct, predicted, gold}. */
    static final class Tally {
        final Map<String, int[]> counts = new TreeMap<>();

        void add(NerBuckets b, List<String> words, List<Chunk> gold, List<Chunk> predicted) {
            java.util.Set<Chunk> g = new java.util.HashSet<>(gold);
            for (Chunk c : gold) {
                String k = b.of(words, c);
                if (k != null) {
                    counts.computeIfAbsent(k, x -> new int[3])[2]++;
                }
            }
            for (Chunk c : predicted) {
                String k = b.of(words, c);
                if (k != null) {
                    int[] t = counts.computeIfAbsent(k, x -> new int[3]);
                    t[1]++;
                    if (g.contains(c)) {
                        t[0]++;
                    }
                }
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> out = new TreeMap<>();
            counts.forEach((k, t) -> out.put(k, NerScores.countsMap(new NerScores.Counts(t[0], t[1], t[2]))));
            return out;
        }
    }
}
