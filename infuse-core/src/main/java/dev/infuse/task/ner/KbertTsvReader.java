package dev.infuse.task.ner;

import dev.infuse.InfuseException;
import dev.infuse.task.TsvReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * K-BERT's NER files: a header {@code text_a<TAB>label}, then one sentence per line, {@code text_a} its
 * characters separated by single spaces and {@code label} one BIO tag per character. Each character becomes a
 * word of a {@link NerSentence}, so scores are per character-chunk, as in K-BERT's own evaluation.
 */
public final class KbertTsvReader {
    static final List<String> COLUMNS = List.of("text_a", "label");
    private static final Pattern TAG = Pattern.compile("O|[BI]-\\S+");

    private KbertTsvReader() {}

    /** Whether {@code file} is a K-BERT NER tsv: named {@code *.tsv[.gz]} with the header. */
    public static boolean accepts(Path file) {
        return TsvReader.named(file) && TsvReader.hasHeader(file, COLUMNS);
    }

    public static List<NerSentence> read(Path file) {
        List<NerSentence> out = new ArrayList<>();
        for (TsvReader.Row r : TsvReader.read(file, COLUMNS)) {
            List<String> chars = split(r.get("text_a"));
            List<String> tags = split(r.get("label"));
            if (chars.size() != tags.size()) {
                throw new InfuseException(r.where() + ": text_a has " + chars.size() + " space-separated characters but label has " + tags.size()
                        + " tags");
            }
            for (String t : tags) {
                if (!TAG.matcher(t).matches()) {
                    throw new InfuseException(r.where() + ": \"" + t + "\" is not a BIO tag (O, B-TYPE or I-TYPE)");
                }
            }
            if (!chars.isEmpty()) {
                out.add(new NerSentence(chars, tags, Integer.parseInt(r.where().substring(r.where().lastIndexOf(':') + 1))));
            }
        }
        return out;
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.strip().split(" +"));
    }
}
