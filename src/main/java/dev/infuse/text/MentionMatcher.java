package dev.infuse.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Finds dictionary names in text: longest-leftmost, non-overlapping, at word boundaries.
 *
 * <h2>Boundaries</h2>
 * A match may start or end between two code points only if they are not both word characters
 * (letter, digit or combining mark, so "cafe&#x301;" is never cut before its accent), or if either is
 * from a script written without spaces (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar):
 * in "我用Java写程序" both "Java" and "程序" match. The text is walked by code point, never splitting
 * a surrogate pair.
 *
 * <h2>Shared surfaces</h2>
 * When one surface form belongs to several entities: if exactly one of them has it as its
 * {@code name}, that entity wins (an alias never outranks a name); otherwise the match is ambiguous.
 * An ambiguous span still consumes its text, so no shorter, probably wrong, match is made inside it.
 * With {@link Ambiguity#SKIP} (the default) it is not reported; with {@link Ambiguity#REPORT} it is
 * reported with {@code entity == null} and all candidates, sorted.
 *
 * <h2>Cost</h2>
 * The dictionary is a code-point trie whose edges live in one open-addressing hash table of
 * primitive arrays ({@code (node, codePoint) -> child}), so memory follows the dictionary and a
 * lookup costs one hash probe per character. Matching allocates only the {@link Match} it reports.
 * Instances are immutable and thread-safe.
 */
public final class MentionMatcher {
    /** What to do with a surface shared by several entities and owned as a name by none or several. */
    public enum Ambiguity { SKIP, REPORT }

    /** A match {@code [start, end)} in char offsets; {@code entity} is null if ambiguous. */
    public record Match(int start, int end, String entity, List<String> candidates) {
        public boolean ambiguous() {
            return entity == null;
        }
    }

    private static final long EMPTY = -1L;

    private final boolean caseSensitive;
    private final Ambiguity ambiguity;
    private final long[] keys;
    private final int[] children;
    private final int mask;
    private final int shift;
    /** Per node: 0 if no surface ends here, else 1 + index into {@link #outcomes}. */
    private final int[] terminal;
    private final Match[] outcomes;
    private final int surfaces;

    private MentionMatcher(Builder b) {
        this.caseSensitive = b.caseSensitive;
        this.ambiguity = b.ambiguity;
        this.keys = b.keys;
        this.children = b.children;
        this.mask = b.keys.length - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(b.keys.length);
        this.terminal = Arrays.copyOf(b.terminal, b.nodes);
        this.surfaces = b.owners.size();
        this.outcomes = new Match[b.owners.size()];
        for (Map.Entry<Integer, List<Owner>> e : b.owners.entrySet()) {
            outcomes[terminal[e.getKey()] - 1] = resolve(e.getValue());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of distinct (folded) surface forms in the dictionary. */
    public int surfaceCount() {
        return surfaces;
    }

    public boolean caseSensitive() {
        return caseSensitive;
    }

    /** Reports every match in {@code text}, left to right, to {@code out}. */
    public void match(CharSequence text, Consumer<Match> out) {
        final int n = text.length();
        int i = 0;
        int prev = -1;
        while (i < n) {
            int cp = Character.codePointAt(text, i);
            if (prev < 0 || boundary(prev, cp)) {
                int node = 0;
                int j = i;
                int c = cp;
                int bestEnd = -1;
                int bestOutcome = 0;
                while (true) {
                    node = child(node, caseSensitive ? c : fold(c));
                    if (node < 0) {
                        break;
                    }
                    j += Character.charCount(c);
                    int next = j < n ? Character.codePointAt(text, j) : -1;
                    if (terminal[node] != 0 && (next < 0 || boundary(c, next))) {
                        bestEnd = j;
                        bestOutcome = terminal[node];
                    }
                    if (next < 0) {
                        break;
                    }
                    c = next;
                }
                if (bestEnd > 0) {
                    Match m = outcomes[bestOutcome - 1];
                    if (!m.ambiguous() || ambiguity == Ambiguity.REPORT) {
                        out.accept(new Match(i, bestEnd, m.entity(), m.candidates()));
                    }
                    prev = Character.codePointBefore(text, bestEnd);
                    i = bestEnd;
                    continue;
                }
            }
            prev = cp;
            i += Character.charCount(cp);
        }
    }

    /** All matches in a list; convenient for short texts and tests. */
    public List<Match> findAll(CharSequence text) {
        List<Match> out = new ArrayList<>();
        match(text, out::add);
        return out;
    }

    /** Approximate bytes held by the matcher's arrays and outcome objects. */
    public long heapBytes() {
        long b = 16L + keys.length * 8L + 16 + children.length * 4L + 16 + terminal.length * 4L + 16 + outcomes.length * 8L;
        for (Match m : outcomes) {
            b += 32 + 16 + m.candidates().size() * 8L;
        }
        return b;
    }

    private int child(int node, int cp) {
        long key = ((long) node << 21) | cp;
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            long k = keys[h];
            if (k == key) {
                return children[h];
            }
            if (k == EMPTY) {
                return -1;
            }
            h = (h + 1) & mask;
        }
    }

    /** True if a match may begin or end between code points {@code a} and {@code b}. */
    static boolean boundary(int a, int b) {
        return !isWord(a) || !isWord(b) || noSpaces(a) || noSpaces(b);
    }

    static boolean isWord(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK;
    }

    /** Scripts written without spaces between words: a boundary is allowed anywhere next to them. */
    static boolean noSpaces(int cp) {
        if (cp < 0x0E00) {
            return false;
        }
        if ((cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0xFF00 && cp <= 0xFFEF)) {
            return true; // CJK punctuation, kana incl. the prolonged sound mark, full/half-width forms
        }
        switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, HANGUL, THAI, LAO, KHMER, MYANMAR:
                return true;
            default:
                return false;
        }
    }

    static int fold(int cp) {
        if (cp < 128) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    private static Match resolve(List<Owner> owners) {
        TreeSet<String> all = new TreeSet<>();
        TreeSet<String> names = new TreeSet<>();
        for (Owner o : owners) {
            all.add(o.entity);
            if (o.isName) {
                names.add(o.entity);
            }
        }
        if (all.size() == 1) {
            return new Match(0, 0, all.first(), List.of(all.first()));
        }
        if (names.size() == 1) {
            return new Match(0, 0, names.first(), List.of(names.first()));
        }
        return new Match(0, 0, null, List.copyOf(names.isEmpty() ? all : names));
    }

    private record Owner(String entity, boolean isName) {}

    /** Collects surfaces; not thread-safe. */
    public static final class Builder {
        private boolean caseSensitive = true;
        private Ambiguity ambiguity = Ambiguity.SKIP;
        private long[] keys = filled(1 << 10);
        private int[] children = new int[1 << 10];
        private int size;
        private int[] terminal = new int[1 << 10];
        private int nodes = 1;
        private final Map<Integer, List<Owner>> owners = new HashMap<>();
        private final Map<String, String> interned = new HashMap<>();
        private boolean built;

        /** Must be set before adding surfaces, because surfaces are folded as they are added. */
        public Builder caseSensitive(boolean v) {
            if (nodes > 1) {
                throw new IllegalStateException("set case sensitivity before adding surfaces");
            }
            caseSensitive = v;
            return this;
        }

        public Builder ambiguity(Ambiguity v) {
            ambiguity = v;
            return this;
        }

        /** Adds {@code surface} for {@code entity}; {@code isName} marks the entity's own name. */
        public Builder add(String surface, String entity, boolean isName) {
            if (built) {
                throw new IllegalStateException("builder already used");
            }
            if (surface == null || surface.isEmpty() || entity == null || entity.isEmpty()) {
                throw new IllegalArgumentException("empty surface or entity id");
            }
            int node = 0;
            for (int i = 0; i < surface.length(); ) {
                int cp = surface.codePointAt(i);
                i += Character.charCount(cp);
                node = childOrAdd(node, caseSensitive ? cp : fold(cp));
            }
            if (terminal[node] == 0) {
                terminal[node] = owners.size() + 1;
                owners.put(node, new ArrayList<>(1));
            }
            owners.get(node).add(new Owner(interned.computeIfAbsent(entity, k -> k), isName));
            return this;
        }

        public MentionMatcher build() {
            built = true;
            MentionMatcher m = new MentionMatcher(this);
            owners.clear();
            return m;
        }

        private int childOrAdd(int node, int cp) {
            long key = ((long) node << 21) | cp;
            int mask = keys.length - 1;
            int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(keys.length)));
            while (keys[h] != EMPTY) {
                if (keys[h] == key) {
                    return children[h];
                }
                h = (h + 1) & mask;
            }
            keys[h] = key;
            int child = nodes++;
            children[h] = child;
            if (child >= terminal.length) {
                terminal = Arrays.copyOf(terminal, terminal.length * 2);
            }
            if (++size * 2 > keys.length) {
                rehash(); // keep the load factor at most 1/2 so misses stay short
            }
            return child;
        }

        private void rehash() {
            long[] oldKeys = keys;
            int[] oldChildren = children;
            keys = filled(oldKeys.length * 2);
            children = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            int shift = 64 - Integer.numberOfTrailingZeros(keys.length);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    int h = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> shift);
                    while (keys[h] != EMPTY) {
                        h = (h + 1) & mask;
                    }
                    keys[h] = oldKeys[i];
                    children[h] = oldChildren[i];
                }
            }
        }

        private static long[] filled(int n) {
            long[] a = new long[n];
            Arrays.fill(a, EMPTY);
            return a;
        }
    }
}
