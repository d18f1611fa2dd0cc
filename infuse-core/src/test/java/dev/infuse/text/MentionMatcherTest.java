package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.text.MentionMatcher.Ambiguity;
import dev.infuse.text.MentionMatcher.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MentionMatcherTest {
    private static List<String> spans(MentionMatcher m, String text) {
        List<String> out = new ArrayList<>();
        for (Match x : m.findAll(text)) {
            out.add(text.substring(x.start(), x.end()) + "=" + (x.entity() == null ? x.candidates() : x.entity()));
        }
        return out;
    }

    @Test
    void longestLeftmostWins() {
        MentionMatcher m = MentionMatcher.builder()
                .add("Java", "java", true).add("Java Virtual Machine", "jvm", true)
                .add("Virtual Machine", "vm", true).add("Machine", "machine", true).build();
        assertEquals(List.of("Java Virtual Machine=jvm", "Machine=machine"),
                spans(m, "A Java Virtual Machine runs on a Machine."));
        assertEquals(List.of("Java=java"), spans(m, "Java Virtual Machines"),
                "no boundary before 's', so the longest candidate falls back to 'Java'");
    }

    @Test
    void matchesDoNotOverlap() {
        MentionMatcher m = MentionMatcher.builder().add("a b", "ab", true).add("b c", "bc", true).build();
        assertEquals(List.of("a b=ab"), spans(m, "a b c"));
    }

    @Test
    void requiresWordBoundaries() {
        MentionMatcher m = MentionMatcher.builder().add("C", "c", true).add("C++", "cpp", true).add("Unix", "unix", true).build();
        assertEquals(List.of("C++=cpp", "C=c"), spans(m, "C++ and C, not Cobol or ABC."));
        assertEquals(List.of(), spans(m, "Unixes and preUnix"));
        assertEquals(List.of("Unix=unix", "Unix=unix"), spans(m, "(Unix)-Unix"));
    }

    @Test
    void boundaryIsUnicodeAware() {
        MentionMatcher m = MentionMatcher.builder().add("café", "cafe", true).add("cafe", "plain", true)
                .add("𝔸lgebra", "alg", true).build();
        assertEquals(List.of(), spans(m, "cafe\u0301"), "a combining accent continues the word");
        assertEquals(List.of("café=cafe"), spans(m, "un café."));
        assertEquals(List.of(), spans(m, "écafé"));
        assertEquals(List.of("𝔸lgebra=alg"), spans(m, "x 𝔸lgebra y"));
    }

    @Test
    void caseSensitivityIsOptional() {
        MentionMatcher sensitive = MentionMatcher.builder().add("Unix", "unix", true).build();
        MentionMatcher insensitive = MentionMatcher.builder().caseSensitive(false).add("Unix", "unix", true)
                .add("STRASSE", "strasse", true).build();
        assertEquals(List.of("Unix=unix"), spans(sensitive, "UNIX unix Unix"));
        assertEquals(List.of("UNIX=unix", "unix=unix", "Unix=unix"), spans(insensitive, "UNIX unix Unix"));
        assertEquals(List.of("Strasse=strasse"), spans(insensitive, "Strasse"));
    }

    @Test
    void cjkMatchesWithoutSpaces() {
        MentionMatcher m = MentionMatcher.builder().add("北京", "beijing", true).add("北京大学", "pku", true)
                .add("Java", "java", true).add("プログラム", "program", true).build();
        assertEquals(List.of("北京大学=pku", "北京=beijing"), spans(m, "我在北京大学学习，住在北京。"));
        assertEquals(List.of("Java=java", "プログラム=program"), spans(m, "我用Java写プログラム"));
    }

    @Test
    void nameBeatsAliasAndSharedAliasIsAmbiguous() {
        MentionMatcher.Builder b = MentionMatcher.builder()
                .add("Erlang", "erlang-language", true).add("Erlang", "erlang-unit", false)
                .add("Mercury", "mercury-lang", true).add("Mercury", "mercury-planet", true)
                .add("JS", "javascript", false).add("JS", "jscript", false);
        MentionMatcher skip = b.build();
        assertEquals(List.of("Erlang=erlang-language"), spans(skip, "Erlang, Mercury and JS"),
                "an exact name beats an alias; two names or two aliases are skipped");
        MentionMatcher report = MentionMatcher.builder().ambiguity(Ambiguity.REPORT)
                .add("Mercury", "mercury-planet", true).add("Mercury", "mercury-lang", true)
                .add("Mercury Lang", "ml", true).build();
        List<Match> ms = report.findAll("Mercury is fun");
        assertEquals(1, ms.size());
        assertNull(ms.get(0).entity());
        assertEquals(List.of("mercury-lang", "mercury-planet"), ms.get(0).candidates());
    }

    @Test
    void ambiguousSpanStillBlocksShorterMatchesInside() {
        MentionMatcher m = MentionMatcher.builder().add("Visual Basic", "vb1", true).add("Visual Basic", "vb2", true)
                .add("Basic", "basic", true).build();
        assertEquals(List.of(), spans(m, "Visual Basic"));
    }

    /** Random dictionaries and texts: every match is well-formed, ordered, at boundaries and in the dictionary. */
    @Test
    void randomizedRobustness() {
        Random r = new Random(42);
        String alphabet = "ab c-é北京\uD835\uDD38 ";
        for (int round = 0; round < 300; round++) {
            MentionMatcher.Builder b = MentionMatcher.builder().caseSensitive(r.nextBoolean());
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                String w = randomString(r, alphabet, 1 + r.nextInt(4)).strip();
                if (!w.isEmpty()) {
                    words.add(w);
                    b.add(w, "e" + k, r.nextBoolean());
                }
            }
            MentionMatcher m = b.build();
            String text = randomString(r, alphabet + "AB", r.nextInt(60));
            int last = 0;
            for (Match x : m.findAll(text)) {
                assertTrue(x.start() >= last && x.end() > x.start() && x.end() <= text.length(), text);
                assertTrue(!Character.isLowSurrogate(text.charAt(x.start())), "never splits a surrogate pair");
                String s = text.substring(x.start(), x.end());
                assertTrue(words.stream().anyMatch(w -> m.caseSensitive() ? w.equals(s) : w.equalsIgnoreCase(s)), s);
                assertTrue(x.start() == 0 || MentionMatcher.boundary(text.codePointBefore(x.start()), text.codePointAt(x.start())));
                assertTrue(x.end() == text.length() || MentionMatcher.boundary(text.codePointBefore(x.end()), text.codePointAt(x.end())));
                last = x.end();
            }
        }
    }

    /** Same results as a naive longest-leftmost scan, on random dictionaries that exercise tail compression. */
    @Test
    void agreesWithNaiveReference() {
        Random r = new Random(7);
        String alphabet = "abcAB é北";
        for (int round = 0; round < 500; round++) {
            boolean cs = r.nextBoolean();
            MentionMatcher.Builder b = MentionMatcher.builder().caseSensitive(cs);
            java.util.Set<String> dict = new java.util.HashSet<>();
            for (int k = 0; k < 1 + r.nextInt(12); k++) {
                String w = randomString(r, alphabet, 1 + r.nextInt(7)).strip();
                String key = cs ? w : w.toLowerCase(java.util.Locale.ROOT);
                if (!w.isEmpty() && dict.add(key)) {
                    b.add(w, key, true); // entity id = folded surface, so nothing is ambiguous
                }
            }
            MentionMatcher m = b.build();
            String text = randomString(r, alphabet, r.nextInt(80));
            List<String> expected = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                int best = -1;
                if (i == 0 || MentionMatcher.boundary(text.codePointBefore(i), text.codePointAt(i))) {
                    for (String d : dict) {
                        int end = i + d.length();
                        if (end <= text.length() && (cs ? text.substring(i, end).equals(d) : text.substring(i, end).toLowerCase(java.util.Locale.ROOT).equals(d))
                                && (end == text.length() || MentionMatcher.boundary(text.codePointBefore(end), text.codePointAt(end)))) {
                            best = Math.max(best, end);
                        }
                    }
                }
                if (best > 0) {
                    expected.add(i + "-" + best);
                    i = best;
                } else {
                    i += Character.charCount(text.codePointAt(i));
                }
            }
            List<String> found = m.findAll(text).stream().map(x -> x.start() + "-" + x.end()).toList();
            assertEquals(expected, found, "text '" + text + "' dict " + dict);
        }
    }

    private static String randomString(Random r, String alphabet, int n) {
        int[] cps = alphabet.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(cps[r.nextInt(cps.length)]);
        }
        return sb.toString();
    }
}
