package dev.infuse.task.ner;

import dev.infuse.InfuseException;
import java.util.List;

/** One CoNLL sentence: parallel word and BIO tag lists, with the line its first word was on. */
public record NerSentence(List<String> words, List<String> tags, int line) {
    public NerSentence {
        words = List.copyOf(words);
        tags = List.copyOf(tags);
        if (words.size() != tags.size()) {
            throw new InfuseException("sentence at line " + line + " has " + words.size() + " words but " + tags.size() + " tags");
        }
    }

    public int size() {
        return words.size();
    }
}
