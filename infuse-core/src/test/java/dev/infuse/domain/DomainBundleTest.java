package dev.infuse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainBundleTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackPlainAndGzip() {
        List<Entity> es = List.of(new Entity("erlang", "Erlang", List.of("ERLANG"), "language", "A concurrent language."),
                new Entity("otp", "Open Telecom Platform", List.of("OTP"), "library", ""));
        List<Passage> ps = List.of(new Passage("p1", "Erlang has OTP.", List.of(new Mention(0, 6, "erlang"), new Mention(11, 14, "otp"))));
        for (boolean gz : new boolean[] {false, true}) {
            BundleWriter w = new BundleWriter(dir, gz);
            w.writeEntities(es);
            w.writeCorpus(ps.iterator());
            w.writeTriples(List.of(new Triple("erlang", "see_also", "otp")));
            assertEquals(gz, Files.exists(dir.resolve("entities.jsonl.gz")));
            assertFalse(gz && Files.exists(dir.resolve("entities.jsonl")), "stale plain variant removed");
            DomainBundle b = DomainBundle.open(dir);
            assertEquals(es, b.entities());
            assertEquals(ps, b.readAllPassages());
            try (Stream<Triple> t = b.triples()) {
                assertEquals(List.of(new Triple("erlang", "see_also", "otp")), t.toList());
            }
            assertEquals(List.of(), BundleValidator.validate(dir));
        }
    }

    @Test
    void corpusIsStreamedLazily() {
        new BundleWriter(dir, true).writeEntities(List.of(new Entity("a", "A", List.of(), "", "")));
        // A writer fed by a lazy iterator and a reader consumed lazily: neither needs the corpus in memory.
        Iterator<Passage> lazy = Stream.iterate(0, i -> i + 1).limit(50_000)
                .map(i -> new Passage("p" + i, "A passage number " + i, List.of(new Mention(0, 1, "a")))).iterator();
        new BundleWriter(dir, true).writeCorpus(lazy);
        try (Stream<Passage> s = DomainBundle.open(dir).passages()) {
            assertEquals("p49999", s.skip(49_999).findFirst().orElseThrow().id());
        }
    }

    @Test
    void plainTextCorpusSplitsDocumentsOnBlankLines() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"a\",\"name\":\"A\"}\n");
        Files.writeString(dir.resolve("corpus.txt"), "one\ntwo\n\n\nthree\n");
        assertEquals(List.of("d1.p1", "d1.p2", "d2.p1"),
                DomainBundle.open(dir).readAllPassages().stream().map(Passage::id).toList());
    }

    @Test
    void missingDirectoryOrEntitiesIsOneClearError() {
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope: bundle directory not found"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir));
        assertTrue(e.getMessage().endsWith("entities.jsonl: file not found (a bundle needs entities)"), e.getMessage());
    }

    @Test
    void malformedJsonLineIsNamed() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\", name:\"B\"}\n");
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir).entities());
        assertTrue(e.getMessage().contains("entities.jsonl:2: malformed JSON"), e.getMessage());
    }

    @Test
    void bundleWithoutEntitiesIsRejected() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "\n");
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir).entities());
        assertTrue(e.getMessage().contains("no entities found"), e.getMessage());
    }

    @Test
    void invalidUtf8IsNamedWhileReading() throws IOException {
        Files.write(dir.resolve("entities.jsonl"), new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
        InfuseException e = assertThrows(InfuseException.class, () -> DomainBundle.open(dir).entities());
        assertTrue(e.getMessage().contains("entities.jsonl:1: invalid UTF-8"), e.getMessage());
        assertEquals("é", new String(new byte[] {(byte) 0xC3, (byte) 0xA9}, StandardCharsets.UTF_8));
    }

    @Test
    void slugsAreStableAndDistinct() {
        var ids = Slugs.assign(List.of("C", "C++", "Erlang", "$", "北京 大学"));
        assertEquals("erlang", ids.get("Erlang"));
        assertEquals("x24", ids.get("$"));
        assertEquals("北京-大学", ids.get("北京 大学"));
        assertTrue(ids.get("C").startsWith("c-") && ids.get("C++").startsWith("c-") && !ids.get("C").equals(ids.get("C++")));
        assertEquals(ids.get("C++"), Slugs.assign(List.of("C++", "C")).get("C++"), "independent of input order");
    }
}
