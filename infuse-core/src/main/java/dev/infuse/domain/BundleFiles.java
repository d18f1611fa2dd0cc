package dev.infuse.domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where each bundle file lives; each may also be stored gzipped as {@code NAME.gz}. */
public final class BundleFiles {
    public static final String ENTITIES = "entities.jsonl";
    public static final String CORPUS_TEXT = "corpus.txt";
    public static final String CORPUS_JSONL = "corpus.jsonl";
    public static final String TRIPLES = "triples.tsv";

    private BundleFiles() {}

    /** The plain or gzipped variant of {@code name} in {@code dir}, or null if neither exists. */
    public static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /**
     * A variant of {@code name} that exists but is not a regular file (a directory, say), or null. Callers
     * refuse it in one line instead of reporting the file missing and then every reference to it.
     */
    public static Path notAFile(Path dir, String name) {
        for (String n : List.of(name, name + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.exists(p) && !Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The one-line complaint about {@link #notAFile}'s answer. */
    public static String notAFileReason(Path p) {
        return Files.isDirectory(p) ? "is a directory, expected a file" : "is not a regular file";
    }

    /** Every existing variant of {@code name}; more than one means the bundle is ambiguous. */
    public static List<Path> variants(Path dir, String name) {
        List<Path> out = new ArrayList<>();
        for (String n : List.of(name, name + ".gz")) {
            if (Files.isRegularFile(dir.resolve(n))) {
                out.add(dir.resolve(n));
            }
        }
        return out;
    }
}
