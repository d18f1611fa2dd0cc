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
    /** Open-addressing table; slot {@code h} holds the key at {@code 2h} and the child at {@code 2h+1},
     *  so a probe touches one cache line instead of two. */
    private final long[] table;
    /** Children of the root by BMP char, -1 for none: every word start looks here first. */
    private final int[] rootChildren;
    /** Nodes at depth two for ASCII pairs, -1 for none; 64 KB, so it stays in cache. */
    private final int[] asciiPairs;
    /** One bit per (hashed) edge key: most failing lookups are answered here without touching the
     *  large table, which is what keeps throughput from collapsing with big dictionaries. */
    private final long[] filter;
    private final int filterShift;
    private final int mask;
    private final int shift;
    /** Per node: 0 if no surface ends here, else 1 + index into {@link #outcomes}. */
    private final int[] terminal;
    private final Match[] outcomes;
    /**
     * Tail compression: for a node whose descendants form one unbranched chain ending at a leaf,
     * the offset in {@link #tails} of {@code [length, outcome, codePoints...]}, else -1. Most of a
     * long name lies on such a chain; comparing it from one contiguous array replaces a cache miss
     * per character with a sequential read.
     */
    private final int[] tailAt;
    private final int[] tails;
    private final int surfaces;

    private MentionMatcher(Builder b) {
        this.caseSensitive = b.caseSensitive;
        this.ambiguity = b.ambiguity;
        TrieCompiler.Compiled c = TrieCompiler.compile(b.keys, b.children, b.terminal, b.nodes);
        this.table = c.table();
        this.rootChildren = c.rootChildren();
        this.asciiPairs = c.asciiPairs();
        this.filter = c.filter();
        this.filterShift = c.filterShift();
        this.mask = c.mask();
        this.shift = c.shift();
        this.tailAt = c.tailAt();
        this.tails = c.tails();
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
                int first = -1;
                while (true) {
                    int f = caseSensitive ? c : fold(c);
                    if (first < 0) {
                        first = f;
                        node = f < (1 << 16) ? rootChildren[f] : child(0, f);
                    } else if (j - i <= 1 && (first | f) < 128) {
                        node = asciiPairs[(first << 7) | f];
                    } else {
                        node = child(node, f);
                    }
                    if (node < 0) {
                        break;
                    }
                    j += Character.charCount(c);
                    int off = tailAt[node];
                    if (off >= 0) {
                        int end = matchTail(text, j, off, c);
                        if (end >= 0) {
                            bestEnd = end;
                            bestOutcome = tails[off + 1];
                        }
                        break;
                    }
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

    /**
     * Compares the chain stored at {@code off} with the text from {@code j}; returns the end of the
     * surface if it matches and ends at a boundary, else -1. {@code last} is the code point before j.
     */
    private int matchTail(CharSequence text, int j, int off, int last) {
        int len = tails[off];
        int n = text.length();
        for (int k = 0; k < len; k++) {
            if (j >= n) {
                return -1;
            }
            int c = Character.codePointAt(text, j);
            if ((caseSensitive ? c : fold(c)) != tails[off + 2 + k]) {
                return -1;
            }
            j += Character.charCount(c);
            last = c;
        }
        return j >= n || boundary(last, Character.codePointAt(text, j)) ? j : -1;
    }

    /** All matches in a list; convenient for short texts and tests. */
    public List<Match> findAll(CharSequence text) {
        List<Match> out = new ArrayList<>();
        match(text, out::add);
        return out;
    }

    /** Approximate bytes held by the matcher's arrays and outcome objects. */
    public long heapBytes() {
        long b = 16L + table.length * 8L + 16 + rootChildren.length * 4L + 16 + asciiPairs.length * 4L + 16 + filter.length * 8L + 16 + terminal.length * 4L + 16 + tailAt.length * 4L + 16 + tails.length * 4L + 16 + outcomes.length * 8L;
        for (Match m : outcomes) {
            b += 32 + 16 + m.candidates().size() * 8L;
        }
        return b;
    }

    private int child(int node, int cp) {
        if (node == 0 && cp < (1 << 16)) {
            return rootChildren[cp];
        }
        long key = ((long) node << 21) | cp;
        int bit = (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> filterShift);
        if ((filter[bit >>> 6] & (1L << bit)) == 0) {
            return -1;
        }
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            long k = table[2 * h];
            if (k == key) {
                return (int) table[2 * h + 1];
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
            // Release build-time state so a builder kept in scope does not double the heap cost.
            owners.clear();
            interned.clear();
            keys = null;
            children = null;
            terminal = null;
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
