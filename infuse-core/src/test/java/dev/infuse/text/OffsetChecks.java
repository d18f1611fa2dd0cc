package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.Locale;

/** Assertions on an {@link Encoding}'s offsets that hold for any text. */
final class OffsetChecks {
    private OffsetChecks() {}

    /** Specials at both ends with -1 spans; other spans inside the text, non-empty, in order, whole chars. */
    static void assertWellFormed(String text, Encoding e) {
        String where = " for " + escape(text) + " -> " + e;
        int n = e.size();
        assertTrue(n >= 2 && e.special()[0] && e.special()[n - 1], "[CLS] ... [SEP]" + where);
        int lastStart = 0;
        int lastEnd = 0;
        int lastWord = -1;
        for (int i = 0; i < n; i++) {
            int s = e.starts()[i];
            int t = e.ends()[i];
            if (e.special()[i]) {
                assertTrue(s == -1 && t == -1 && e.wordIds()[i] == -1, "special token " + i + where);
                continue;
            }
            assertTrue(0 <= s && s < t && t <= text.length(), "span of token " + i + where);
            assertTrue(s >= lastStart && t >= lastEnd, "offsets go backwards at token " + i + where);
            assertTrue(!splitsPair(text, s) && !splitsPair(text, t), "span cuts a surrogate pair at " + i + where);
            int w = e.wordIds()[i];
            assertTrue(w == lastWord || w == lastWord + 1, "word ids skip at token " + i + where);
            lastStart = s;
            lastEnd = t;
            lastWord = w;
        }
    }

    /**
     * Each non-special token's span, lower-cased and accent-stripped, spells the token (without "##");
     * an [UNK] spans a whole word; a special token written in the text spans exactly itself.
     */
    static void assertSubstringsMatchTokens(Tokenizer tok, String text, Encoding e) {
        assertWellFormed(text, e);
        for (int i = 0; i < e.size(); i++) {
            if (e.special()[i]) {
                continue;
            }
            String span = text.substring(e.starts()[i], e.ends()[i]);
            String token = tok.idToToken(e.ids()[i]);
            if (token.equals("[UNK]")) {
                assertTrue(span.codePoints().noneMatch(BertChars::isWhitespace), "[UNK] spans one word: " + span);
            } else if (tok.isSpecial(e.ids()[i])) {
                assertEquals(token, span);
            } else {
                String piece = token.startsWith("##") ? token.substring(2) : token;
                String folded = fold(span);
                // Pieces cut from inside one decomposed char (Hangul syllable to jamo) all span that char.
                boolean sharesSpan = i > 0 && e.ends()[i - 1] > e.starts()[i]
                        || i + 1 < e.size() && e.starts()[i + 1] >= 0 && e.starts()[i + 1] < e.ends()[i];
                if (sharesSpan) {
                    assertTrue(folded.contains(piece), piece + " within " + folded + " of " + escape(text));
                } else {
                    assertEquals(piece, folded, "token " + i + " of " + escape(text));
                }
            }
        }
    }

    /** An independent, whole-string version of BERT's uncased normalisation (for the strings tests use). */
    static String fold(String s) {
        StringBuilder out = new StringBuilder();
        Normalizer.normalize(s, Normalizer.Form.NFD).codePoints()
                .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK && !BertChars.isDropped(c))
                .forEach(out::appendCodePoint);
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean splitsPair(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().limit(200).forEach(c -> {
            if (c >= 0x20 && c < 0x7F) {
                b.append((char) c);
            } else {
                b.append(String.format("\\u{%X}", c));
            }
        });
        return b.append(s.length() > 200 ? "...\"" : "\"").toString();
    }
}
