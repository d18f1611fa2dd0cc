package dev.infuse.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits raw text into words the way BERT's basic tokenizer does before word pieces: at white space, around
 * every punctuation character, and around every CJK ideograph; control characters are dropped. Used where a
 * task needs words from plain text (NER on a line of text), so each word is what a CoNLL file would hold.
 */
public final class Words {
    private Words() {}

    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (BertChars.isWhitespace(cp) || BertChars.isDropped(cp)) {
                flush(word, out);
            } else if (BertChars.isPunctuation(cp) || BertChars.isCjk(cp)) {
                flush(word, out);
                out.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }
}
