package dev.infuse.text;

import com.huaban.analysis.jieba.JiebaSegmenter;
import com.huaban.analysis.jieba.SegToken;
import java.util.List;

/**
 * Word ids for Chinese whole-word masking. BERT's tokenizer makes every CJK ideograph its own word, so
 * "导弹驱逐舰" is five words to it; a segmenter using jieba's dictionary groups them into real words.
 * Tokens outside CJK text keep the tokenizer's own grouping.
 */
public final class ChineseWords {
    // jieba loads a 5 MB dictionary when first built; one segmenter serves the whole JVM (it is read-only).
    private static volatile JiebaSegmenter segmenter;

    private ChineseWords() {}

    /** True when {@code text} holds at least one CJK ideograph, so segmenting it can change anything. */
    public static boolean hasCjk(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (isCjk(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Regroups {@code enc}'s word ids so that CJK tokens inside one segmenter word share an id. Ids are
     * renumbered from 0 in token order; specials keep -1.
     *
     * @param text the string that was encoded (offsets index into it)
     */
    public static int[] regroup(String text, Encoding enc) {
        int[] wordOfChar = new int[text.length()];
        java.util.Arrays.fill(wordOfChar, -1);
        List<SegToken> words = segmenter().process(text, JiebaSegmenter.SegMode.SEARCH);
        for (int w = 0; w < words.size(); w++) {
            SegToken t = words.get(w);
            for (int c = Math.max(0, t.startOffset); c < Math.min(text.length(), t.endOffset); c++) {
                wordOfChar[c] = w;
            }
        }
        int[] out = new int[enc.size()];
        long prevKey = Long.MIN_VALUE;
        int next = -1;
        for (int i = 0; i < enc.size(); i++) {
            if (enc.special()[i] || enc.starts()[i] < 0) {
                out[i] = -1;
                prevKey = Long.MIN_VALUE;
                continue;
            }
            int start = enc.starts()[i];
            // A CJK token is keyed by its segmenter word, anything else by the tokenizer's word id.
            long key = isCjk(text.charAt(start)) && wordOfChar[start] >= 0
                    ? ((long) wordOfChar[start] << 1) | 1
                    : ((long) enc.wordIds()[i] << 1);
            if (key != prevKey) {
                next++;
                prevKey = key;
            }
            out[i] = next;
        }
        return out;
    }

    static boolean isCjk(char c) {
        Character.UnicodeBlock b = Character.UnicodeBlock.of(c);
        return b == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS || b == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS_EXTENSION_A
                || b == Character.UnicodeBlock.CJK_COMPATIBILITY_IDEOGRAPHS;
    }

    private static JiebaSegmenter segmenter() {
        JiebaSegmenter s = segmenter;
        if (s == null) {
            synchronized (ChineseWords.class) {
                if (segmenter == null) {
                    // jieba announces its dictionary load on stdout, which belongs to --json output: send it to stderr.
                    java.io.PrintStream out = System.out;
                    System.setOut(System.err);
                    try {
                        segmenter = new JiebaSegmenter();
                    } finally {
                        System.setOut(out);
                    }
                }
                s = segmenter;
            }
        }
        return s;
    }
}
