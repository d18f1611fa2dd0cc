package dev.infuse.domain.foldoc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleWriter;
import dev.infuse.domain.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads raw FOLDOC entries (headword lines, blank line, indented body) from either Debian's dictd
 * files ({@code foldoc.index} + {@code foldoc.dict.dz}) or the copy shipped in this repository
 * ({@code foldoc.jsonl.gz}, one {@code {"text": entry}} per line), so both give identical imports.
 */
public final class FoldocSource {
    public static final String SHIPPED = "foldoc.jsonl.gz";
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private FoldocSource() {}

    /** Entries in dictionary order from a dictd directory, a shipped file, or a directory holding one. */
    public static List<String> read(Path source) {
        if (Files.isDirectory(source)) {
            if (Files.isRegularFile(source.resolve("foldoc.index"))) {
                return readDictd(source);
            }
            if (Files.isRegularFile(source.resolve(SHIPPED))) {
                return readShipped(source.resolve(SHIPPED));
            }
            throw new InfuseException(source + ": found neither foldoc.index (dictd) nor " + SHIPPED + ", expected one");
        }
        if (!Files.exists(source)) {
            throw new InfuseException(source + ": file not found");
        }
        return readShipped(source);
    }

    /** Writes entries in the shipped format (only what the importer needs: the raw entry text). */
    public static void writeShipped(List<String> entries, Path target) {
        BundleWriter.writeLines(target, entries.iterator(), e -> {
            JsonObject o = new JsonObject();
            o.addProperty("text", e);
            return o.toString();
        });
    }

    static List<String> readShipped(Path file) {
        List<String> out = new ArrayList<>();
        try (Lines in = Lines.open(file)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                if (l.text() == null) {
                    throw new InfuseException(file + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                try {
                    JsonElement e = JsonParser.parseString(l.text());
                    out.add(e.getAsJsonObject().get("text").getAsString());
                } catch (RuntimeException ex) {
                    throw new InfuseException(file + ":" + l.number() + ": malformed line, expected {\"text\": \"...\"}");
                }
            }
        }
        if (out.isEmpty()) {
            throw new InfuseException(file + ": no entries found");
        }
        return out;
    }

    static List<String> readDictd(Path dir) {
        Path index = dir.resolve("foldoc.index");
        Path dict = Files.isRegularFile(dir.resolve("foldoc.dict.dz")) ? dir.resolve("foldoc.dict.dz") : dir.resolve("foldoc.dict");
        // Several headwords point at one entry; the (offset, length) pairs identify entries.
        TreeMap<Long, Integer> spans = new TreeMap<>();
        java.util.Set<Long> meta = new java.util.HashSet<>();
        try (Lines in = Lines.open(index)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                String[] f = l.text() == null ? new String[0] : l.text().split("\t");
                if (f.length != 3) {
                    throw new InfuseException(index + ":" + l.number() + ": found " + f.length
                            + " tab-separated fields, expected 3 (headword, offset, length)");
                }
                long offset = base64(f[1], index, l.number());
                spans.put(offset, (int) base64(f[2], index, l.number()));
                if (f[0].startsWith("00-database") || f[0].startsWith("00database")) {
                    meta.add(offset); // dictfmt's own info entries; their text has no headword line
                }
            }
        }
        byte[] data;
        try (InputStream raw = Files.newInputStream(dict);
                InputStream in = dict.toString().endsWith(".dz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new InfuseException(dict + ": cannot read dictd data (" + e.getMessage() + ")", e);
        }
        List<String> out = new ArrayList<>();
        for (var s : spans.entrySet()) {
            if (s.getKey() + s.getValue() > data.length) {
                throw new InfuseException(index + ": entry at offset " + s.getKey() + " runs past the end of " + dict);
            }
            String text = new String(data, s.getKey().intValue(), s.getValue(), StandardCharsets.UTF_8);
            String head = text.lines().findFirst().orElse("").strip();
            if (head.equals("Dictionary.debian")) {
                // Debian appends its own definitions after FOLDOC's under a different licence; stop there.
                break;
            }
            if (!meta.contains(s.getKey()) && !head.isEmpty()) {
                out.add(text.stripTrailing());
            }
        }
        return out;
    }

    private static long base64(String s, Path file, int line) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = B64.indexOf(s.charAt(i));
            if (d < 0) {
                throw new InfuseException(file + ":" + line + ": '" + s + "' is not a dictd base64 number");
            }
            v = v * 64 + d;
        }
        return v;
    }
}
