package dev.infuse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoImporterTest {
    @TempDir
    Path dir;

    @Test
    void importsKbertSpo() throws IOException {
        Path spo = dir.resolve("kg.spo");
        Files.writeString(spo, "北京\t首都\t中国\n北京\t首都\t中国\nErlang\tcreated by\tJoe Armstrong\n\n");
        SpoImporter.Summary s = SpoImporter.importFile(spo, dir.resolve("out"));
        assertEquals(new SpoImporter.Summary(4, 2, 1), s);
        DomainBundle b = DomainBundle.open(dir.resolve("out"));
        assertEquals(List.of("北京", "中国", "Erlang", "Joe Armstrong"), b.entities().stream().map(Entity::name).toList());
        try (Stream<Triple> t = b.triples()) {
            assertEquals(new Triple("erlang", "created by", "joe-armstrong"), t.toList().get(1));
        }
        assertEquals(List.of(), BundleValidator.validate(dir.resolve("out")));
    }

    @Test
    void badInputIsOneClearError() throws IOException {
        InfuseException e = assertThrows(InfuseException.class, () -> SpoImporter.importFile(dir.resolve("none.spo"), dir));
        assertTrue(e.getMessage().endsWith("none.spo: file not found"), e.getMessage());
        Path bad = dir.resolve("bad.spo");
        Files.writeString(bad, "a\tb\tc\na\tb\n");
        e = assertThrows(InfuseException.class, () -> SpoImporter.importFile(bad, dir.resolve("o")));
        assertTrue(e.getMessage().endsWith("bad.spo:2: found 2 tab-separated fields, expected 3 non-empty (subject, predicate, object)"), e.getMessage());
        Files.writeString(bad, "\n");
        e = assertThrows(InfuseException.class, () -> SpoImporter.importFile(bad, dir.resolve("o")));
        assertTrue(e.getMessage().contains("no triples found"), e.getMessage());
    }
}
