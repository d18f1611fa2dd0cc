package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainCommandTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void validateListsProblemsAndFailsThenPassesWhenFixed() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"a\",\"name\":\"B\"}\n");
        Files.writeString(dir.resolve("triples.tsv"), "a\tr\tz\n");
        CliRun r = run("domain", "validate", dir.toString());
        assertEquals(1, r.code());
        assertEquals(2, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("entities.jsonl:2: duplicate entity id 'a'"), r.out());
        assertTrue(r.out().contains("triples.tsv:1: tail 'z' is not an entity id"), r.out());
        assertEquals("infuse: 2 problems in " + dir, r.err().strip());
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"z\",\"name\":\"Z\"}\n");
        assertEquals(0, run("domain", "validate", dir.toString()).code());
        CliRun s = run("domain", "stats", dir.toString());
        assertTrue(s.out().startsWith("entities: 2\n"), s.out());
        assertTrue(s.out().contains("  r: 1"), s.out());
    }

    @Test
    void userErrorsAreOneLine() throws IOException {
        CliRun r = run("domain", "stats", dir.resolve("missing").toString());
        assertEquals(1, r.code());
        assertEquals("infuse: " + dir.resolve("missing") + ": bundle directory not found", r.err().strip());
        Files.writeString(dir.resolve("entities.jsonl"), "{\"id\":\"a\",\"name\":\"A\"}\n{oops\n");
        r = run("domain", "stats", dir.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("entities.jsonl:2: malformed JSON"), r.err());
    }

    @Test
    void benchMatcherPrintsJson() {
        CliRun r = run("bench", "matcher", "--names", "2000", "--megabytes", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)\\{\"names\":2000,.*\"mb_per_s\":[0-9.]+.*\\}\\s*"), r.out());
    }
}
