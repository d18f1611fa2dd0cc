package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * K-BERT's task files: tab-separated, {@code *.tsv} or {@code *.tsv.gz}, a header line naming the columns
 * ({@code label  text_a} for classification, {@code text_a  label} for NER), then one example per line.
 * Blank lines are skipped; a line with another number of fields fails with its {@code file:line}.
 */
public final class TsvReader {
    /** One data line: its fields by column name, and "FILE:LINE" for messages. */
    public record Row(Map<String, String> fields, String where) {
        public String get(String column) {
            return fields.get(column);
        }
    }

    private TsvReader() {}

    /** Whether {@code file} is named like a K-BERT tsv. */
    public static boolean named(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".tsv") || n.endsWith(".tsv.gz");
    }

    /** Whether the file's first line is a header holding every one of {@code columns}. */
    public static boolean hasHeader(Path file, List<String> columns) {
        try (Lines lines = Lines.open(file)) {
            Lines.Line l = lines.next();
            return l != null && l.text() != null && Arrays.asList(l.text().strip().split("\t")).containsAll(columns);
        }
    }

    /** Every data line; the header must hold {@code columns} (other columns are an error: infuse would ignore them). */
    public static List<Row> read(Path file, List<String> columns) {
        List<Row> out = new ArrayList<>();
        try (Lines lines = Lines.open(file)) {
            Lines.Line first = lines.next();
            if (first == null || first.text() == null) {
                throw new InfuseException(file + ": empty or not UTF-8, expected a header line '" + String.join("<TAB>", columns) + "'");
            }
            List<String> header = Arrays.asList(first.text().strip().split("\t"));
            if (!header.containsAll(columns) || header.size() != columns.size()) {
                throw new InfuseException(file + ":1: header is '" + String.join("<TAB>", header) + "', expected the columns "
                        + String.join(", ", columns) + " (K-BERT's format)");
            }
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                String where = file + ":" + l.number();
                if (l.text() == null) {
                    throw new InfuseException(where + ": not valid UTF-8");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                String[] f = l.text().split("\t", -1);
                if (f.length != header.size()) {
                    throw new InfuseException(where + ": found " + f.length + " tab-separated fields, expected " + header.size() + " ("
                            + String.join(", ", header) + ")");
                }
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < f.length; i++) {
                    m.put(header.get(i), f[i].strip());
                }
                out.add(new Row(m, where));
            }
        }
        return out;
    }
}
