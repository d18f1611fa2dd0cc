package dev.infuse.domain.foldoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleValidator;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.domain.Triple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldocImporterTest {
    @TempDir
    Path dir;

    static final List<String> ENTRIES = List.of(
            "00-database-info\n\n   Meta data that is not an entry.\n",
            "Erlang\n\n   <language> A concurrent {functional\n   language} by Armstrong.  See {Unix} and"
                    + " {Commercial version (http://erlang.se/)}.\n\n   {(http://erlang.org/)}\n\n   [{Jargon File}]\n\n   (2003-03-25)\n",
            "functional language\n\n   <programming> A language like Erlang and {functional languages}.\n",
            "Transmission Control Protocol\nTCP\n\n   <networking, protocol> (TCP) The {protocol} of the\n   {Internet}.  Unlike UDP.\n",
            "Unix\n\n   1. <operating system> An __OS__ <dbh@doc.ic.ac.uk>.\n\n   2. <jargon> A joke.\n",
            "protocol\n\n   <networking> Rules, e.g. TCP.\n",
            "Dictionary.debian\n\n  Debian's additions follow.\n",
            "developer\n\n       <Debian> A member of the Debian project.\n");

    /** Writes ENTRIES as dictd files: an index of base64 offsets into a gzip-compatible .dict.dz. */
    static Path writeDictd(Path dir) throws IOException {
        ByteArrayOutputStream dict = new ByteArrayOutputStream();
        StringBuilder index = new StringBuilder();
        for (String e : ENTRIES) {
            byte[] b = e.getBytes(StandardCharsets.UTF_8);
            String head = e.lines().findFirst().orElseThrow().toLowerCase();
            index.append(head).append('\t').append(b64(dict.size())).append('\t').append(b64(b.length)).append('\n');
            if (head.equals("transmission control protocol")) {
                index.append("tcp\t").append(b64(dict.size())).append('\t').append(b64(b.length)).append('\n');
            }
            dict.writeBytes(b);
        }
        Files.writeString(dir.resolve("foldoc.index"), index);
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(dir.resolve("foldoc.dict.dz")))) {
            os.write(dict.toByteArray());
        }
        return dir;
    }

    static String b64(long v) {
        String digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder();
        do {
            sb.insert(0, digits.charAt((int) (v % 64)));
            v /= 64;
        } while (v > 0);
        return sb.toString();
    }

    @Test
    void importsDictdSample() throws IOException {
        FoldocImporter.Result r = FoldocImporter.importTo(writeDictd(dir), dir.resolve("bundle"), false);
        Map<String, Entity> e = r.entities().stream().collect(Collectors.toMap(Entity::id, Function.identity()));
        assertEquals(List.of("erlang", "functional-language", "transmission-control-protocol", "unix", "protocol"),
                r.entities().stream().filter(x -> !x.type().equals("category")).map(Entity::id).toList(),
                "meta entries and Debian's appendix are skipped");
        assertEquals(new Entity("transmission-control-protocol", "Transmission Control Protocol", List.of("TCP"), "networking",
                "(TCP) The protocol of the Internet. Unlike UDP."), e.get("transmission-control-protocol"));
        assertEquals("operating system", e.get("unix").type());
        assertEquals("An OS.", e.get("unix").description(), "sense number, tags, e-mail and emphasis removed");
        assertTrue(e.containsKey("category:jargon"));

        Passage erlang = r.passages().get(0);
        assertEquals("erlang#1", erlang.id());
        assertEquals("A concurrent functional language by Armstrong. See Unix and Commercial version.", erlang.text());
        assertEquals(List.of(new Mention(13, 32, "functional-language"), new Mention(51, 55, "unix")), erlang.mentions(),
                "links are not mentions; URL-only paragraphs, bibliography and dates are dropped");
        assertEquals(1, r.passages().stream().filter(p -> p.id().startsWith("erlang#")).count());
        Passage fl = r.passages().get(1);
        assertEquals(List.of(new Mention(16, 22, "erlang")), fl.mentions(),
                "matcher mention; the plural cross-reference has no exact surface so is not a mention");
        Passage tcp = r.passages().get(2);
        assertTrue(tcp.mentions().contains(new Mention(10, 18, "protocol")));
        assertTrue(tcp.mentions().contains(new Mention(1, 4, "transmission-control-protocol")), "alias from (TCP) matched");
        assertTrue(r.triples().containsAll(List.of(new Triple("erlang", "see_also", "functional-language"),
                new Triple("erlang", "see_also", "unix"), new Triple("erlang", "category", "category:language"),
                new Triple("unix", "category", "category:jargon"))));
        assertFalse(r.triples().contains(new Triple("functional-language", "see_also", "functional-language")), "no self links");
        assertEquals(List.of(), BundleValidator.validate(dir.resolve("bundle")));
    }

    @Test
    void shippedFormatGivesTheSameImport() throws IOException {
        List<String> raw = FoldocSource.read(writeDictd(dir));
        FoldocSource.writeShipped(raw, dir.resolve("foldoc.jsonl.gz"));
        assertEquals(raw, FoldocSource.read(dir.resolve("foldoc.jsonl.gz")));
        assertEquals(raw, FoldocSource.read(dir), "a directory holding only the shipped file works too");
    }

    @Test
    void badSourcesAreOneClearError() throws IOException {
        InfuseException e = assertThrows(InfuseException.class, () -> FoldocSource.read(dir.resolve("none")));
        assertTrue(e.getMessage().endsWith("none: file not found"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> FoldocSource.read(dir));
        assertTrue(e.getMessage().contains("found neither foldoc.index"), e.getMessage());
        Files.writeString(dir.resolve("foldoc.index"), "erlang\tA\tB\nbroken line\n");
        e = assertThrows(InfuseException.class, () -> FoldocSource.read(dir));
        assertTrue(e.getMessage().endsWith("foldoc.index:2: found 1 tab-separated fields, expected 3 (headword, offset, length)"), e.getMessage());
        Path shipped = dir.resolve("x.jsonl.gz");
        FoldocSource.writeShipped(List.of("a\n\n b"), shipped);
        Files.writeString(dir.resolve("y.jsonl"), "{\"text\":\"a\"}\n{\"text\":\n");
        e = assertThrows(InfuseException.class, () -> FoldocSource.read(dir.resolve("y.jsonl")));
        assertTrue(e.getMessage().contains("y.jsonl:2: malformed line"), e.getMessage());
    }

    /** The committed bundle must stay valid and in sync with the committed source. */
    @Test
    void shippedBundleValidatesClean() {
        Path bundle = Path.of("data/foldoc/bundle");
        assertEquals(List.of(), BundleValidator.validate(bundle));
        assertTrue(DomainBundle.open(bundle).entities().size() > 10_000);
    }
}
