package dev.infuse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleValidatorTest {
    @TempDir
    Path dir;

    /** Every planted fault is reported, each with its file and line, and nothing else is. */
    @Test
    void reportsEveryPlantedFault() throws IOException {
        ByteArrayOutputStream ents = new ByteArrayOutputStream();
        ents.writeBytes(("""
                {"id":"erlang","name":"Erlang","aliases":["ERL"],"type":"language","description":"x"}
                {"id":"erlang","name":"Erlang again"}
                {"id":"blank","name":"  "}
                {"id":"otp" "name":"OTP"}
                """).getBytes(StandardCharsets.UTF_8));
        ents.writeBytes(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});
        ents.writeBytes("{\"id\":\"unix\",\"name\":\"Unix\",\"aliases\":\"UNIX\"}\n{\"id\":\"c\",\"name\":\"C\"}\n"
                .getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("entities.jsonl"), ents.toByteArray());
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"id":"p1","text":"erl is in Erlang","mentions":[{"start":0,"end":3,"entity":"erlang"},{"start":10,"end":16,"entity":"erlang"}]}
                {"id":"p2","text":"short","mentions":[{"start":2,"end":40,"entity":"c"}]}
                {"id":"p3","text":"C and Unix","mentions":[{"start":0,"end":1,"entity":"c"},{"start":6,"end":10,"entity":"ghost"},{"start":2,"end":5,"entity":"c"}]}
                {"id":"p1","text":"dup"}
                not json
                """);
        Files.writeString(dir.resolve("triples.tsv"), "erlang\tsee_also\tc\nerlang\tsee_also\tnobody\nghost\tx\tc\nonly\ttwo\n");
        Path e = dir.resolve("entities.jsonl");
        Path c = dir.resolve("corpus.jsonl");
        Path t = dir.resolve("triples.tsv");
        List<String> expected = List.of(
                e + ":2: duplicate entity id 'erlang', first defined on line 1",
                e + ":3: empty name for entity 'blank'",
                e + ":4: malformed JSON (",
                e + ":5: invalid UTF-8, expected UTF-8 text",
                e + ":6: field 'aliases' is a string, expected an array of strings",
                c + ":2: mention [2, 40) is outside the text of length 5",
                c + ":3: mention 1 [6, 10) names unknown entity 'ghost'",
                c + ":3: mention 2 [2, 5) covers 'and', expected a name or alias of 'c' (C)",
                c + ":4: duplicate passage id 'p1'",
                c + ":5: malformed JSON (",
                t + ":2: tail 'nobody' is not an entity id",
                t + ":3: head 'ghost' is not an entity id",
                t + ":4: found 2 tab-separated fields, expected 3 (head, relation, tail)");
        List<String> found = BundleValidator.validate(dir).stream().map(Object::toString).toList();
        assertEquals(expected.size(), found.size(), String.join("\n", found));
        for (int i = 0; i < expected.size(); i++) {
            String f = found.get(i);
            assertEquals(expected.get(i), f.substring(0, Math.min(f.length(), expected.get(i).length())), String.join("\n", found));
        }
    }

    @Test
    void emptyEntitiesAndTwoCorporaAreProblems() throws IOException {
        Files.writeString(dir.resolve("entities.jsonl"), "");
        Files.writeString(dir.resolve("corpus.txt"), "x\n");
        Files.writeString(dir.resolve("corpus.jsonl"), "");
        List<String> found = BundleValidator.validate(dir).stream().map(Object::toString).toList();
        assertEquals(List.of(dir.resolve("entities.jsonl") + ": no entities found, expected at least one JSON line",
                dir + ": both corpus.jsonl and corpus.txt exist, expected one corpus file"), found);
    }
}
