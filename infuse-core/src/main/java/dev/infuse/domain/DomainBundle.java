package dev.infuse.domain;

import dev.infuse.InfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a domain bundle directory (see {@link BundleFiles}).
 *
 * <p>Entities are loaded into memory (they are the dictionary everything else refers to); the corpus
 * is only ever streamed, one line at a time, because corpora can be far larger than the heap.
 * Reading is strict: the first bad line throws an {@link InfuseException} naming {@code file:line};
 * use {@link BundleValidator} to see every problem at once.
 */
public final class DomainBundle {
    private final Path dir;
    private List<Entity> entities;
    private Map<String, Entity> byId;

    private DomainBundle(Path dir) {
        this.dir = dir;
    }

    /** Opens {@code dir}; fails if it is not a directory or has no entities file. */
    public static DomainBundle open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InfuseException(dir + ": bundle directory not found");
        }
        Path odd = BundleFiles.notAFile(dir, BundleFiles.ENTITIES);
        if (odd != null && BundleFiles.find(dir, BundleFiles.ENTITIES) == null) {
            throw new InfuseException(odd + ": " + BundleFiles.notAFileReason(odd));
        }
        if (BundleFiles.find(dir, BundleFiles.ENTITIES) == null) {
            throw new InfuseException(dir.resolve(BundleFiles.ENTITIES) + ": file not found (a bundle needs entities)");
        }
        return new DomainBundle(dir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * The checks every consumer runs before its work, so {@code pelt build}, {@code pretrain} and {@code zeo}
     * accept and refuse the same bundles: the entities file reads whole, every line valid, each id once, at
     * least one entity. The corpus is not read here; it streams, and a bad line fails with its number when
     * it is reached. {@code domain validate} reports everything at once.
     */
    public DomainBundle requireValid() {
        entities();
        return this;
    }

    /** All entities in file order; loaded once. Duplicate ids and an empty file are errors. */
    public synchronized List<Entity> entities() {
        if (entities == null) {
            Path f = BundleFiles.find(dir, BundleFiles.ENTITIES);
            Map<String, Entity> map = new LinkedHashMap<>();
            try (Stream<Entity> s = stream(f, BundleFormat::parseEntity)) {
                s.forEach(e -> {
                    if (map.putIfAbsent(e.id(), e) != null) {
                        throw new InfuseException(f + ": duplicate entity id '" + e.id() + "', expected each id once");
                    }
                });
            }
            if (map.isEmpty()) {
                throw new InfuseException(f + ": no entities found, expected at least one JSON line");
            }
            byId = Collections.unmodifiableMap(map);
            entities = List.copyOf(map.values());
        }
        return entities;
    }

    public Map<String, Entity> entitiesById() {
        entities();
        return byId;
    }

    /** True if the bundle has a corpus file in either format. */
    public boolean hasCorpus() {
        return corpusFile() != null;
    }

    /**
     * Streams the corpus passages. Close the stream (try-with-resources) to release the file.
     * For {@code corpus.txt} the ids are {@code d<document>.p<passage>} (both 1-based) and there
     * are no mentions.
     */
    public Stream<Passage> passages() {
        Path f = corpusFile();
        if (f == null) {
            return Stream.empty();
        }
        if (f.getFileName().toString().startsWith(BundleFiles.CORPUS_JSONL)) {
            return stream(f, BundleFormat::parsePassage);
        }
        int[] docAndPara = {1, 0};
        return rawLines(f).map(line -> {
            if (line.text().isBlank()) {
                if (docAndPara[1] > 0) {
                    docAndPara[0]++;
                    docAndPara[1] = 0;
                }
                return null;
            }
            docAndPara[1]++;
            return new Passage("d" + docAndPara[0] + ".p" + docAndPara[1], line.text(), List.of());
        }).filter(p -> p != null);
    }

    /** Streams the triples; an absent {@code triples.tsv} yields none. */
    public Stream<Triple> triples() {
        Path f = BundleFiles.find(dir, BundleFiles.TRIPLES);
        return f == null ? Stream.empty() : stream(f, BundleFormat::parseTriple);
    }

    private Path corpusFile() {
        Path jsonl = BundleFiles.find(dir, BundleFiles.CORPUS_JSONL);
        return jsonl != null ? jsonl : BundleFiles.find(dir, BundleFiles.CORPUS_TEXT);
    }

    /** Parses each non-blank line of {@code f}, wrapping parse errors with {@code file:line}. */
    static <T> Stream<T> stream(Path f, java.util.function.Function<String, T> parser) {
        return rawLines(f).filter(l -> !l.text().isBlank()).map(l -> {
            try {
                return parser.apply(l.text());
            } catch (IllegalArgumentException e) {
                throw new InfuseException(f + ":" + l.number() + ": " + e.getMessage());
            }
        });
    }

    /** Every line of {@code f}; invalid UTF-8 is an error naming the line. */
    static Stream<Lines.Line> rawLines(Path f) {
        Lines lines = Lines.open(f);
        Spliterator<Lines.Line> sp = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Lines.Line> action) {
                Lines.Line l = lines.next();
                if (l == null) {
                    return false;
                }
                if (l.text() == null) {
                    throw new InfuseException(f + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                }
                action.accept(l);
                return true;
            }
        };
        return StreamSupport.stream(sp, false).onClose(lines::close);
    }

    /** Convenience for small bundles and tests: every passage in a list. */
    public List<Passage> readAllPassages() {
        try (Stream<Passage> s = passages()) {
            return new ArrayList<>(s.toList());
        }
    }
}
