package dev.infuse.kge;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.Lines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code head<TAB>relation<TAB>tail} lines, gzipped or not, from a file or from a domain bundle's
 * {@code triples.tsv}. Ids are kept as written: WN18RR's are WordNet synset offsets with leading zeros.
 */
public final class TripleFile {
    /** One triple as written, with where it came from so later errors can name the line. */
    public record Row(String head, String relation, String tail, Path file, int line) {
        public String where() {
            return file + ":" + line;
        }
    }

    private TripleFile() {}

    /** Every triple of {@code path} (a file, or a bundle directory holding triples.tsv); blank lines are skipped. */
    public static List<Row> read(Path path) {
        Path file = resolve(path);
        List<Row> rows = new ArrayList<>();
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                if (l.text() == null) {
                    throw new InfuseException(file + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                String[] f = l.text().split("\t", -1);
                if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
                    throw new InfuseException(file + ":" + l.number() + ": expected head<TAB>relation<TAB>tail, found "
                            + (f.length == 3 ? "an empty field" : f.length + " field" + (f.length == 1 ? "" : "s")));
                }
                rows.add(new Row(f[0].strip(), f[1].strip(), f[2].strip(), file, l.number()));
            }
        }
        if (rows.isEmpty()) {
            throw new InfuseException(file + ": no triples");
        }
        return rows;
    }

    /**
     * The ids of a dictionary file in row order: RotatE's {@code entities.dict} ({@code index<TAB>id}, indices
     * 0, 1, 2, ... in order) or one id a line.
     */
    public static List<String> readIds(Path file) {
        List<String> ids = new ArrayList<>();
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                if (l.text() == null || l.text().isBlank()) {
                    if (l.text() == null) {
                        throw new InfuseException(file + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                    }
                    continue;
                }
                String[] f = l.text().split("\t", -1);
                if (f.length > 2 || (f.length == 2 && !f[0].strip().equals(Integer.toString(ids.size())))) {
                    throw new InfuseException(file + ":" + l.number() + ": expected an id, or index<TAB>id with index " + ids.size()
                            + ", found \"" + l.text() + "\"");
                }
                ids.add(f[f.length - 1].strip());
            }
        }
        return ids;
    }

    private static Path resolve(Path path) {
        if (!Files.isDirectory(path)) {
            return path; // Lines names a missing file
        }
        Path f = BundleFiles.find(path, BundleFiles.TRIPLES);
        if (f == null) {
            throw new InfuseException(path + " is a directory without " + BundleFiles.TRIPLES + "; expected a triples file or a domain bundle");
        }
        return f;
    }
}
