package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.NerSentence;
import dev.infuse.task.ner.NerSet;
import dev.infuse.text.Words;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Plain text as a task set to predict on: one example a line, blank lines skipped. NER splits each line into
 * words as BERT's basic tokenizer does ({@link Words}); classification takes the line as the text. Typing and
 * relations need spans, so they need their task files. The labels are placeholders, never scored.
 */
public final class PlainText {
    /** The placeholder label of plain-text examples; never a model's label. */
    static final String NO_LABEL = "";

    private PlainText() {}

    public static TaskSet read(String task, Path file) {
        if (!task.equals("ner") && !task.equals("classify")) {
            throw new InfuseException("plain text works for ner and classify; a " + task + " model needs its task file ("
                    + (task.equals("typing") ? "jsonl text/start/end" : "Wiki80 jsonl") + ")");
        }
        List<String> lines = new ArrayList<>();
        try (Lines in = Lines.open(file)) {
            for (Lines.Line l; (l = in.next()) != null; ) {
                if (l.text() == null) {
                    throw new InfuseException(file + ":" + l.number() + ": not valid UTF-8");
                }
                if (!l.text().isBlank()) {
                    lines.add(l.text().strip());
                }
            }
        }
        if (lines.isEmpty()) {
            throw new InfuseException(file + " holds no text");
        }
        if (task.equals("classify")) {
            return new ClassifySet(lines.stream().map(l -> new ClassifySet.Example(l, NO_LABEL)).toList());
        }
        List<NerSentence> sentences = new ArrayList<>();
        int number = 0;
        for (String l : lines) {
            List<String> words = Words.split(l);
            sentences.add(new NerSentence(words, Collections.nCopies(words.size(), "O"), ++number));
        }
        return new NerSet(sentences);
    }
}
