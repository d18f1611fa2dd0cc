package dev.infuse.task.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DictionaryBaselineTest {
    private static NerSentence s(String words, String tags) {
        return new NerSentence(List.of(words.split(" ")), List.of(tags.split(" ")), 1);
    }

    @Test
    void longestMatchWithTheMostFrequentTrainingType() {
        DictionaryBaseline d = DictionaryBaseline.train(List.of(
                s("GNU Emacs is an editor", "B-sw I-sw O O O"),
                s("Emacs runs on Unix", "B-sw O O B-os"),
                s("Emacs again", "B-lang O"),
                s("Emacs once more", "B-sw O O")));
        assertEquals(3, d.size()); // "gnu emacs", "emacs", "unix"
        // "GNU Emacs" beats "Emacs" (longest first); "emacs" is sw (2 of 3), case ignored; "Unix" is os.
        assertEquals(List.of("B-sw", "I-sw", "O", "B-sw", "O", "B-os"), d.tag(List.of("GNU", "Emacs", "and", "emacs", "on", "Unix")));
        NerScores scores = d.evaluate(List.of(s("emacs on Linux", "B-sw O B-os")));
        assertEquals(new NerScores.Counts(1, 1, 2), scores.micro()); // Linux was never in training
    }
}
