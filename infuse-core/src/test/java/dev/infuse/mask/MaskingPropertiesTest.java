package dev.infuse.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties every strategy must keep, over many random instances. */
class MaskingPropertiesTest {
    static final int N = 1500;

    static Masker masker(String spec) {
        return new Masker(Maskings.parse(spec), 0.15, RandomInstances.MASK, RandomInstances.VOCAB, RandomInstances::isSpecial);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "wwm", "entity", "span", "wwm=1,entity=1,span=2"})
    void maskRateIsNearFifteenPercentAndNeverAboveBudget(String spec) {
        Masker m = masker(spec);
        Random rng = new Random(11);
        long chosen = 0;
        long maskable = 0;
        for (int i = 0; i < N; i++) {
            TokenInstance in = RandomInstances.next(rng);
            int c = count(m.strategy().choose(in, m.budget(in), Masker.rngFor(5, 0, i)));
            assertTrue(c <= m.budget(in), spec + ": chose " + c + " of budget " + m.budget(in));
            chosen += c;
            maskable += in.maskable();
        }
        double rate = chosen / (double) maskable;
        // Skipping units that overshoot costs whole-unit strategies a little; 2 points is the tolerance.
        assertEquals(0.15, rate, 0.02, spec + " mask rate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "wwm", "entity", "span", "token=1,entity=1"})
    void specialTokensAreNeverMaskedOrReplaced(String spec) {
        Masker m = masker(spec);
        Random rng = new Random(12);
        for (int i = 0; i < N; i++) {
            TokenInstance in = RandomInstances.next(rng);
            MaskedExample ex = m.mask(in, 9, 0, i);
            for (int t = 0; t < in.size(); t++) {
                if (in.special()[t]) {
                    assertEquals(MaskedExample.IGNORE, ex.labels()[t], spec + " labelled a special token");
                    assertEquals(in.ids()[t], ex.inputIds()[t], spec + " replaced a special token");
                } else if (ex.labels()[t] == MaskedExample.IGNORE) {
                    assertEquals(in.ids()[t], ex.inputIds()[t], spec + " changed a token it does not predict");
                } else {
                    assertEquals(in.ids()[t], ex.labels()[t]);
                    assertFalse(RandomInstances.isSpecial(ex.inputIds()[t]) && ex.inputIds()[t] != RandomInstances.MASK,
                            "random replacement drew a special token");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wwm", "entity", "span"})
    void wordsAreMaskedWhole(String spec) {
        Masker m = masker(spec);
        Random rng = new Random(13);
        for (int i = 0; i < N; i++) {
            TokenInstance in = RandomInstances.next(rng);
            boolean[] c = m.strategy().choose(in, m.budget(in), Masker.rngFor(1, 2, i));
            assertWhole(c, Units.words(in), spec + " split a word");
        }
    }

    /** Only the entity strategy promises whole mentions; in a mix, other parts keep only their own units whole. */
    @org.junit.jupiter.api.Test
    void mentionsAreMaskedWholeAndPreferred() {
        String spec = "entity";
        Masker m = masker(spec);
        Random rng = new Random(14);
        long inMentions = 0;
        long mentionTokens = 0;
        long total = 0;
        long tokens = 0;
        for (int i = 0; i < N; i++) {
            TokenInstance in = RandomInstances.next(rng);
            boolean[] c = m.strategy().choose(in, m.budget(in), Masker.rngFor(1, 3, i));
            assertWhole(c, in.entitySpans(), spec + " split a mention");
            for (int[] s : in.entitySpans()) {
                for (int t = s[0]; t < s[1]; t++) {
                    inMentions += c[t] ? 1 : 0;
                    mentionTokens++;
                }
            }
            total += count(c);
            tokens += in.maskable();
        }
        // Mentions get a larger share of the masks than their share of the text.
        assertTrue(inMentions / (double) total > mentionTokens / (double) tokens, "entity masking did not prefer mentions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "wwm", "entity", "span", "wwm=1,span=1"})
    void sameSeedSameMasksOtherEpochOtherMasks(String spec) {
        Masker m = masker(spec);
        Random rng = new Random(15);
        int differ = 0;
        for (int i = 0; i < 200; i++) {
            TokenInstance in = RandomInstances.next(rng);
            MaskedExample a = m.mask(in, 42, 3, i);
            MaskedExample b = masker(spec).mask(in, 42, 3, i);
            assertArrayEquals(a.inputIds(), b.inputIds());
            assertArrayEquals(a.labels(), b.labels());
            differ += java.util.Arrays.equals(a.labels(), m.mask(in, 42, 4, i).labels()) ? 0 : 1;
        }
        assertTrue(differ > 150, "a new epoch should draw new masks, only " + differ + " of 200 changed");
    }

    @org.junit.jupiter.api.Test
    void replacementIsEightyTenTen() {
        Masker m = masker("token");
        Random rng = new Random(16);
        long chosen = 0;
        long masked = 0;
        long kept = 0;
        for (int i = 0; i < N; i++) {
            TokenInstance in = RandomInstances.next(rng);
            MaskedExample ex = m.mask(in, 1, 0, i);
            for (int t = 0; t < in.size(); t++) {
                if (ex.labels()[t] != MaskedExample.IGNORE) {
                    chosen++;
                    masked += ex.inputIds()[t] == RandomInstances.MASK ? 1 : 0;
                    kept += ex.inputIds()[t] == in.ids()[t] ? 1 : 0;
                }
            }
        }
        assertEquals(0.8, masked / (double) chosen, 0.02);
        assertEquals(0.1, kept / (double) chosen, 0.02);
    }

    @org.junit.jupiter.api.Test
    void spanLengthsFollowTruncatedGeometric() {
        Random rng = new Random(17);
        double sum = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            int len = SpanMasking.spanLength(rng);
            assertTrue(len >= 1 && len <= 10);
            sum += len;
        }
        // SpanBERT reports a mean span of 3.8 words for p = 0.2 truncated at 10.
        assertEquals(3.8, sum / n, 0.1);
    }

    static void assertWhole(boolean[] chosen, List<int[]> units, String msg) {
        for (int[] u : units) {
            int c = 0;
            for (int t = u[0]; t < u[1]; t++) {
                c += chosen[t] ? 1 : 0;
            }
            assertTrue(c == 0 || c == u[1] - u[0], msg + " at " + java.util.Arrays.toString(u));
        }
    }

    static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            c += x ? 1 : 0;
        }
        return c;
    }
}
