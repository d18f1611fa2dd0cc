package dev.infuse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken gzip files and directories where files belong: one line naming the file and the fault, exit 1 material. */
class BrokenFilesTest {
    @TempDir
    Path dir;

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** Enough varied lines that the compressed stream is long and a cut lands inside the deflate data. */
    static String entities(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("{\"id\":\"e").append(i).append("\",\"name\":\"Entity number ").append(i * 7919 % 10007).append("\"}\n");
        }
        return s.toString();
    }

    private static List<String> readAll(Path f) {
        try (Lines in = Lines.open(f)) {
            List<String> out = new java.util.ArrayList<>();
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                out.add(l.text());
            }
            return out;
        }
    }

    @Test
    void aTruncatedGzipIsNamedAsSuch() throws IOException {
        byte[] z = gzip(entities(2000));
        Path f = dir.resolve("entities.jsonl.gz");
        Files.write(f, Arrays.copyOf(z, z.length / 2));
        InfuseException e = assertThrows(InfuseException.class, () -> readAll(f));
        assertEquals(f + ": truncated gzip stream (unexpected end of file)", e.getMessage());
    }

    @Test
    void aFileThatIsNotGzipAtAllIsNamedAsSuch() throws IOException {
        Path f = dir.resolve("entities.jsonl.gz");
        Files.writeString(f, entities(3));
        InfuseException e = assertThrows(InfuseException.class, () -> readAll(f));
        assertEquals(f + ": not a gzip file, though its name ends in .gz", e.getMessage());
    }

    @Test
    void aDamagedGzipIsNamedAsSuch() throws IOException {
        byte[] z = gzip(entities(50));
        z[z.length - 6] ^= 0x5a; // inside the CRC-32 trailer
        Path f = dir.resolve("corpus.txt.gz");
        Files.write(f, z);
        InfuseException e = assertThrows(InfuseException.class, () -> readAll(f));
        assertEquals(f + ": corrupt gzip stream (Corrupt GZIP trailer)", e.getMessage());
    }

    @Test
    void aDirectoryIsNotReadAsAFile() throws IOException {
        Path f = Files.createDirectories(dir.resolve("train.jsonl"));
        InfuseException e = assertThrows(InfuseException.class, () -> Lines.open(f));
        assertEquals(f + ": is a directory, expected a file", e.getMessage());
    }

    @Test
    void aBundleWithATruncatedEntitiesGzipFailsWithOneLine() throws IOException {
        byte[] z = gzip(entities(2000));
        Path f = dir.resolve("entities.jsonl.gz");
        Files.write(f, Arrays.copyOf(z, z.length - 200));
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir).entities());
        assertEquals(f + ": truncated gzip stream (unexpected end of file)", e.getMessage());
        Files.writeString(dir.resolve("corpus.jsonl"), "{\"id\":\"p\",\"text\":\"e1\",\"mentions\":[{\"start\":0,\"end\":2,\"entity\":\"e1\"}]}\n");
        assertEquals(List.of(f + ": truncated gzip stream (unexpected end of file)"),
                BundleValidator.validate(dir).stream().map(Object::toString).toList());
    }

    @Test
    void entitiesThatAreADirectoryGiveOneLineNotOnePerReference() throws IOException {
        Path ents = Files.createDirectories(dir.resolve("entities.jsonl"));
        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            corpus.append("{\"id\":\"p").append(i).append("\",\"text\":\"Unix\",\"mentions\":[{\"start\":0,\"end\":4,\"entity\":\"unix\"}]}\n");
        }
        Files.writeString(dir.resolve("corpus.jsonl"), corpus);
        Files.writeString(dir.resolve("triples.tsv"), "unix\tis\tos\n");
        assertEquals(List.of(ents + ": is a directory, expected a file"),
                BundleValidator.validate(dir).stream().map(Object::toString).toList());
        Files.delete(ents);
        Files.writeString(ents, "\n");
        assertEquals(List.of(ents + ": no entities found, expected at least one JSON line"),
                BundleValidator.validate(dir).stream().map(Object::toString).toList());
        Files.delete(ents);
        Files.createDirectories(ents);
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir));
        assertEquals(ents + ": is a directory, expected a file", e.getMessage());
    }

    @Test
    void anEmptyMentionSpanIsCalledEmpty() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"unix\",\"name\":\"Unix\"}\n");
        Path c = dir.resolve("corpus.jsonl");
        Files.writeString(c, "{\"id\":\"p\",\"text\":\"Unix is old\",\"mentions\":[{\"start\":2,\"end\":2,\"entity\":\"unix\"}]}\n");
        assertEquals(List.of(c + ":1: mention span [2, 2) is empty, expected start < end"),
                BundleValidator.validate(dir).stream().map(Object::toString).toList());
    }
}
