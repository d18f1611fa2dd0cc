package dev.infuse.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FirstSentencesTest {
    @Test
    void cutsAfterTheFirstSentenceAndKeepsOnlyTheMentionsInsideIt() {
        String text = "Erlang is a language by Ericsson. It runs on BEAM. See also Elixir.";
        Passage p = new Passage("erlang#1", text, List.of(new Mention(0, 6, "erlang"), new Mention(24, 32, "ericsson"),
                new Mention(45, 49, "beam")));
        Passage cut = FirstSentences.cut(p);
        assertEquals("Erlang is a language by Ericsson.", cut.text());
        assertEquals(List.of(new Mention(0, 6, "erlang"), new Mention(24, 32, "ericsson")), cut.mentions());
    }

    @Test
    void anAbbreviationFollowedByLowerCaseIsNotASentenceEnd() {
        Passage p = new Passage("x", "Written in C, e.g. by hand. Then compiled.", List.of());
        assertEquals("Written in C, e.g. by hand.", FirstSentences.cut(p).text());
        Passage none = new Passage("y", "no full stop here", List.of());
        assertEquals("no full stop here", FirstSentences.cut(none).text());
    }

    @Test
    void aLongFirstSentenceIsCutAfterItsNthWordWithTheMentionsInside() {
        Passage p = new Passage("x", "Erlang is a language by Ericsson. More.", List.of(new Mention(0, 6, "erlang"), new Mention(24, 32, "ericsson")));
        Passage cut = FirstSentences.cut(p, 4);
        assertEquals("Erlang is a language", cut.text());
        assertEquals(List.of(new Mention(0, 6, "erlang")), cut.mentions());
        assertEquals("Erlang is a language by Ericsson.", FirstSentences.cut(p, 6).text(), "the sentence ends first");
    }
}
