package dev.infuse.task.ner;

import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import dev.infuse.task.FileShapes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads CoNLL NER files: one {@code token<TAB>tag} per line (extra middle columns, as in CoNLL-2003, are
 * allowed: the first column is the word and the last the tag), a blank line between sentences,
 * {@code -DOCSTART-} lines skipped, {@code *.gz} gunzipped. A malformed line fails with its line number,
 * because a silently skipped line would shift every later tag.
 */
public final class ConllReader {
    private static final Pattern TAG = Pattern.compile("O|[BI]-\\S+");

    private ConllReader() {}

    public static List<NerSentence> read(Path file) {
        List<NerSentence> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int first = 0;
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                String where = file + ":" + l.number();
                if (l.text() == null) {
                    throw new InfuseException(where + ": not valid UTF-8");
                }
                String text = l.text().strip();
                if (text.isEmpty()) {
                    if (!words.isEmpty()) {
                        out.add(new NerSentence(words, tags, first));
                        words.clear();
                        tags.clear();
                    }
                    continue;
                }
                String[] cols = text.contains("\t") ? text.split("\t") : text.split("\\s+");
                if (cols[0].equals("-DOCSTART-")) {
                    continue;
                }
                if (FileShapes.looksLikeJson(text) && (cols.length < 2 || !TAG.matcher(cols[cols.length - 1].strip()).matches())) {
                    // Only a line that fails as CoNLL: "[" and "{" are tokens too.
                    throw new InfuseException(FileShapes.expectsConll(file.toString(), l.number()));
                }
                if (cols.length < 2) {
                    throw new InfuseException(where + ": expected token<TAB>tag, found \"" + text + "\"");
                }
                String tag = cols[cols.length - 1].strip();
                if (!TAG.matcher(tag).matches()) {
                    throw new InfuseException(where + ": \"" + tag + "\" is not a BIO tag (O, B-TYPE or I-TYPE)");
                }
                if (words.isEmpty()) {
                    first = l.number();
                }
                words.add(cols[0].strip());
                tags.add(tag);
            }
        }
        if (!words.isEmpty()) {
            out.add(new NerSentence(words, tags, first));
        }
        return out;
    }
}
