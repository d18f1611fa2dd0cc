package dev.infuse.text;

import java.util.Random;

/** Random strings mixing the scripts and oddities a tokenizer meets: a fuzzing source for tests. */
final class RandomText {
    /** [from, to] code point ranges, picked uniformly. */
    private static final int[][] RANGES = {
        {0x20, 0x7E}, {0x20, 0x7E}, {0x61, 0x7A}, {0x61, 0x7A}, // ASCII, letters twice as likely
        {0x00, 0x1F}, {0x7F, 0x9F}, // C0/C1 controls, NUL included
        {0xA0, 0x24F}, {0x300, 0x36F}, // Latin-1/Extended, combining marks
        {0x370, 0x3FF}, {0x400, 0x4FF}, {0x600, 0x6FF}, {0x900, 0x97F}, // Greek, Cyrillic, Arabic, Devanagari
        {0x2000, 0x206F}, {0x3000, 0x303F}, {0x3040, 0x30FF}, // punctuation/spaces, CJK symbols, kana
        {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE00, 0xFFFF}, // CJK, Hangul, compat, specials
        {0x1F300, 0x1F6FF}, {0x20000, 0x2A6DF}, {0xE0000, 0xE007F}, // emoji, CJK ext B, tags
    };
    private static final String[] PIECES = {"[MASK]", "[CLS]", "[mask]", "[MASK", " ", "  \t\n", "\u0130", "\uFFFD",
        "\u200B", "e\u0301", "👍🏽", "x".repeat(120)};

    private RandomText() {}

    /** 0 to ~40 code points; with {@code loneSurrogates}, sometimes an unpaired surrogate char. */
    static String next(Random random, boolean loneSurrogates) {
        int len = random.nextInt(41);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int pick = random.nextInt(20);
            if (pick == 0) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            } else if (pick == 1 && loneSurrogates) {
                b.append((char) (0xD800 + random.nextInt(0x800)));
            } else {
                int[] r = RANGES[random.nextInt(RANGES.length)];
                b.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
            }
        }
        return b.toString();
    }

    static String next(Random random) {
        return next(random, true);
    }
}
