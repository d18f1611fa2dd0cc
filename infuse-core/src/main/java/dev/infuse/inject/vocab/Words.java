package dev.infuse.inject.vocab;

import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The words of one text as a BERT tokenizer sees them: its pre-tokens (split at whitespace and punctuation, after lower-casing
 * and accent stripping), each with the word pieces it became. A word's spelling is its pieces joined without their
 * {@code ##}, which is exactly the normalised word WordPiece matched, so it can be added to the vocabulary as it is.
 */
final class Words {
    /**
     * One word.
     *
     * @param text the normalised word, or null when it became {@code [UNK]} (its spelling is then not in the pieces)
     * @param pieces its token ids, in order
     */
    record Word(String text, int[] pieces) {
        /** Counts in pieces per word: it has a letter or a digit (a punctuation mark is one piece in any vocabulary). */
        boolean counted() {
            return text == null || text.codePoints().anyMatch(Character::isLetterOrDigit);
        }

        /** May become a vocabulary entry: known pieces, more than one, and a letter (numbers are an open set). */
        boolean candidate() {
            return text != null && pieces.length > 1 && text.codePoints().anyMatch(Character::isLetter);
        }
    }

    private Words() {}

    /** The words of {@code text}, specials left out, in order. */
    static List<Word> of(Tokenizer tok, String text, int unkId) {
        Encoding e = tok.encode(text);
        int[] ids = e.ids();
        List<Word> out = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            if (e.special()[i] || e.wordIds()[i] < 0) {
                i++;
                continue;
            }
            int w = e.wordIds()[i];
            int j = i;
            while (j < ids.length && !e.special()[j] && e.wordIds()[j] == w) {
                j++;
            }
            int[] pieces = Arrays.copyOfRange(ids, i, j);
            out.add(new Word(spell(tok, pieces, unkId), pieces));
            i = j;
        }
        return out;
    }

    private static String spell(Tokenizer tok, int[] pieces, int unkId) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < pieces.length; k++) {
            if (pieces[k] == unkId) {
                return null;
            }
            String p = tok.idToToken(pieces[k]);
            sb.append(k > 0 && p.startsWith("##") ? p.substring(2) : p);
        }
        return sb.toString();
    }
}
