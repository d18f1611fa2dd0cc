package dev.infuse.text;

import java.text.Normalizer;

/**
 * BERT's character classes and per-character normalisation, as in Google's {@code tokenization.py}
 * and HuggingFace's {@code BertNormalizer}/{@code BertPreTokenizer}. All methods take code points.
 */
final class BertChars {
    /** NFD-with-marks-dropped results for the BMP below U+3000, filled lazily (benign races: Strings). */
    private static final String[] STRIPPED = new String[0x3000];

    private BertChars() {}

    /**
     * Dropped by clean_text: NUL, U+FFFD and categories Cc, Cf, Co, except tab, LF and CR. Unassigned code
     * points (Cn) are kept, as HuggingFace's Rust normaliser does (Google's Python drops them too); lone
     * surrogates (Cs), which only a Java string can hold, are dropped.
     */
    static boolean isDropped(int cp) {
        if (cp == 0 || cp == 0xFFFD) {
            return true;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        if (cp >= 0x20 && cp < 0x7F) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    /** Unicode White_Space: Zs, Zl, Zp, U+0009..U+000D and U+0085 (Java's isWhitespace differs). */
    static boolean isWhitespace(int cp) {
        if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85) {
            return true;
        }
        if (cp < 0xA0) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** ASCII punctuation (33-47, 58-64, 91-96, 123-126, which includes $+<=>^`|~) or Unicode P*. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        if (cp < 0x80) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    /**
     * CJK Unified Ideographs and their extensions A-E plus the compatibility blocks, the ranges of BERT's
     * {@code _is_chinese_char}. (HuggingFace's Rust normaliser starts extension E at U+2B920, not U+2B820.)
     */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** NFD of one code point with nonspacing marks (Mn) removed; may be empty or several chars. */
    static String stripAccents(int cp) {
        if (cp < STRIPPED.length) {
            String s = STRIPPED[cp];
            if (s == null) {
                s = computeStripped(cp);
                STRIPPED[cp] = s;
            }
            return s;
        }
        return computeStripped(cp);
    }

    private static String computeStripped(int cp) {
        String nfd = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * Full lower-case mapping of one code point, like Rust's {@code char::to_lowercase}: simple mappings
     * except U+0130, the one unconditional multi-char mapping, which becomes "i" + U+0307. Returns the
     * single code point, or -1 when the caller must use {@link #DOTTED_I_LOWER}.
     */
    static int toLower(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }
        return cp == 0x130 ? -1 : Character.toLowerCase(cp);
    }

    static final String DOTTED_I_LOWER = "i\u0307";
}
