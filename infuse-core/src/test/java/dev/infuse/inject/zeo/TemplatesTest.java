package dev.infuse.inject.zeo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.train.data.TextPassage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Template syntax, its errors, and the linked sentences it makes. */
class TemplatesTest {
    @TempDir
    Path tmp;

    static String error(String... lines) {
        return assertThrows(InfuseException.class, () -> Templates.parse(List.of(lines), "t.txt")).getMessage();
    }

    @Test
    void malformedTemplatesNameTheirLine() {
        assertEquals("t.txt:3: unknown placeholder {maker}; expected {name}, {type}, {head}, {tail} or {relation}",
                error("# a comment", "{name} is a {type} .", "{name} is made by {maker} ."));
        assertEquals("t.txt:1: unbalanced brace: '{' at column 11 is not closed", error("{name} is {type ."));
        assertEquals("t.txt:2: unbalanced brace: '}' at column 5 closes nothing", error("{head} {relation} {tail}", "name} is ."));
        assertEquals("t.txt:1: unbalanced brace: '{' at column 1 is not closed", error("{na{me} ."));
        assertEquals("t.txt:1: mixes entity placeholders ({name}, {type}) with triple placeholders ({head}, {tail}, {relation});"
                + " use one kind per template", error("{name} and {head} ."));
        assertEquals("t.txt:1: a template needs {name}, or {head} or {tail}, to link a mention", error("a {type} ."));
    }

    @Test
    void typesAndTriplesBecomeSentencesWithLinkedMentions() throws Exception {
        Path b = ZeoFixtures.bundle(tmp.resolve("b"), true);
        Templates t = Templates.parse(List.of("{name} is a {type} .", "{head} {relation} the {tail} ."), "t.txt");
        List<TextPassage> out = new ArrayList<>();
        t.forEach(DomainBundle.open(b), 1, out::add);
        assertEquals(List.of("cat is a animal .", "dog is a animal .", "sun is a thing .", "rivers is a thing .", "mat is a thing .",
                "cat sat on the mat .", "sun rises in the rivers ."), out.stream().map(TextPassage::text).toList());
        TextPassage last = out.get(6);
        assertEquals(List.of("sun", "river"), last.entities());
        assertEquals("rivers", last.text().substring(last.mentions().get(1)[0], last.mentions().get(1)[1]));
    }
}
