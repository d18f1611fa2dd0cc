package dev.infuse.text;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's tokenizer in pure Java, from a {@code vocab.txt}: the basic tokenizer (clean text, split CJK
 * ideographs, optional lower-casing and accent stripping, split on whitespace and punctuation) followed
 * by greedy longest-match-first WordPiece with {@code ##} continuations.
 *
 * <p>It gives the same ids and offsets as HuggingFace's fast BERT tokenizer for the same vocabulary
 * (see {@link TokenizerJsonWriter}); tests check the two against each other.
 *
 * <p>Why one pass: every normalisation step maps one original code point to zero or more output code
 * points, so each normalised char simply remembers the original char span it came from. Offsets stay
 * exact under lower-casing, accent stripping and dropped control chars without a separate alignment
 * table. The five special tokens are matched case-sensitively in the original text first and never
 * split, so "The capital is [MASK]." keeps {@code [MASK]} even when lower-casing.
 *
 * <p>Added tokens ({@link #withAddedTokens}) are Hugging Face's "added tokens" with their default flags:
 * matched in the normalised text (after lower-casing and accent stripping) before punctuation splitting and
 * WordPiece, anywhere they occur, longest first; each match is a word of its own. The normalised chars
 * between two whitespace (or CJK) boundaries are held back until the boundary so they can be searched.
 */
public final class WordPieceTokenizer implements Tokenizer {
    /** Longer words (in code points, after normalisation) become one {@code [UNK]}, as in BERT. */
    public static final int MAX_CHARS_PER_WORD = 100;

    private final List<String> vocab;
    private final Map<String, Integer> ids;
    /** Continuation pieces keyed without their "##", so lookups need no string concatenation. */
    private final Map<String, Integer> continuations;
    private final int maxPieceChars;
    private final int maxContinuationChars;
    private final boolean doLowerCase;
    private final boolean stripAccents;
    private final String[] neverSplit;
    private final String neverSplitFirstChars;
    private final int padId;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int maskId;
    /** Tokens added on top of the word-piece vocabulary, in id order, as the vocabulary spells them. */
    private final List<String> added;
    /** Added tokens by the first char of their normalised form; each list longest first. */
    private final Map<Character, List<AddedToken>> addedByFirst;

    private record AddedToken(String normalized, int id) {}

    /** Loads {@code vocab.txt} with lower-casing and accent stripping, as for bert-base-uncased. */
    public static WordPieceTokenizer load(Path vocabTxt) {
        return load(vocabTxt, true);
    }

    /** Loads {@code vocab.txt}; accents are stripped exactly when lower-casing, as in BERT. */
    public static WordPieceTokenizer load(Path vocabTxt, boolean doLowerCase) {
        return load(vocabTxt, doLowerCase, doLowerCase);
    }

    /**
     * Loads {@code vocab.txt}, and {@code added_tokens.json} beside it when present: a JSON object of token to
     * id, either ids already in vocab.txt (as infuse writes it) or the ids right after it (as Python writes it).
     */
    public static WordPieceTokenizer load(Path vocabTxt, boolean doLowerCase, boolean stripAccents) {
        List<String> vocab = new ArrayList<>(VocabFile.read(vocabTxt));
        Path addedFile = vocabTxt.toAbsolutePath().resolveSibling(VocabFile.ADDED_TOKENS);
        List<String> added = VocabFile.readAdded(addedFile, vocab);
        return new WordPieceTokenizer(vocab, doLowerCase, stripAccents, vocabTxt.toString(), added);
    }

    /**
     * @param vocab tokens by id; must hold [PAD], [UNK], [CLS], [SEP], [MASK], no empty or repeated entries
     * @param source names the vocabulary in error messages, usually its path
     */
    public WordPieceTokenizer(List<String> vocab, boolean doLowerCase, boolean stripAccents, String source) {
        this(vocab, doLowerCase, stripAccents, source, List.of());
    }

    /**
     * @param addedTokens entries of {@code vocab} to match whole before word-piece splitting (see
     *     {@link #withAddedTokens})
     */
    public WordPieceTokenizer(List<String> vocab, boolean doLowerCase, boolean stripAccents, String source,
            List<String> addedTokens) {
        this.vocab = List.copyOf(vocab);
        this.ids = VocabFile.index(this.vocab, source);
        this.doLowerCase = doLowerCase;
        this.stripAccents = stripAccents;
        this.continuations = new HashMap<>();
        int maxPiece = 0;
        int maxCont = 0;
        for (int i = 0; i < this.vocab.size(); i++) {
            String t = this.vocab.get(i);
            if (t.startsWith("##") && t.length() > 2) {
                continuations.put(t.substring(2), i);
                maxCont = Math.max(maxCont, t.length() - 2);
            }
            maxPiece = Math.max(maxPiece, t.length());
        }
        this.maxPieceChars = maxPiece;
        this.maxContinuationChars = maxCont;
        this.padId = ids.get("[PAD]");
        this.unkId = ids.get("[UNK]");
        this.clsId = ids.get("[CLS]");
        this.sepId = ids.get("[SEP]");
        this.maskId = ids.get("[MASK]");
        // Longest first, so a match at one position is the leftmost-longest one, as in HuggingFace.
        List<String> specials = new ArrayList<>(VocabFile.REQUIRED);
        specials.sort(Comparator.comparingInt(String::length).reversed());
        this.neverSplit = specials.toArray(String[]::new);
        StringBuilder first = new StringBuilder();
        for (String s : neverSplit) {
            if (first.indexOf(s.substring(0, 1)) < 0) {
                first.append(s.charAt(0));
            }
        }
        this.neverSplitFirstChars = first.toString();
        this.added = List.copyOf(addedTokens);
        this.addedByFirst = new HashMap<>();
        for (String t : added) {
            Integer id = ids.get(t);
            if (id == null) {
                throw new InfuseException("added token \"" + t + "\" is not in the vocabulary: " + source);
            }
            String norm = normalizeAdded(t);
            addedByFirst.computeIfAbsent(norm.charAt(0), c -> new ArrayList<>()).add(new AddedToken(norm, id));
        }
        Comparator<AddedToken> longestFirst = Comparator.comparingInt((AddedToken a) -> a.normalized().length()).reversed();
        addedByFirst.values().forEach(l -> l.sort(longestFirst));
    }

    /**
     * A tokenizer with {@code tokens} appended to the vocabulary (ids from {@link #vocabSize()} on, in the
     * order given) and matched whole before word-piece splitting, e.g. domain words like "ethernet" or a
     * marker like "[ENT]". Tokens are stored normalised (lower-cased and accent-stripped when this tokenizer
     * does so), so "Ethernet" and "ethernet" are one token. A token already in the vocabulary, or given
     * twice, is skipped: no id is ever duplicated, and this tokenizer is left unchanged.
     *
     * @throws InfuseException for an empty token, or one holding whitespace or a CJK ideograph (BERT splits
     *     on both before any token could match)
     */
    @Override
    public WordPieceTokenizer withAddedTokens(List<String> tokens) {
        List<String> grown = new ArrayList<>(vocab);
        List<String> grownAdded = new ArrayList<>(added);
        java.util.Set<String> seen = new java.util.HashSet<>(vocab);
        for (String t : tokens) {
            String norm = normalizeAdded(t);
            // A token known as given (a special such as "[MASK]") or once normalised is skipped.
            if (!ids.containsKey(t) && seen.add(norm)) {
                grown.add(norm);
                grownAdded.add(norm);
            }
        }
        return new WordPieceTokenizer(grown, doLowerCase, stripAccents, "vocabulary with added tokens", grownAdded);
    }

    /** Tokens added on top of the word-piece vocabulary, in id order. */
    public List<String> addedTokens() {
        return added;
    }

    /** A token as the normaliser turns it: dropped control chars, accents stripped and lower case as configured. */
    private String normalizeAdded(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            if (BertChars.isWhitespace(cp) || BertChars.isCjk(cp)) {
                String what = BertChars.isCjk(cp) ? "a CJK ideograph" : "whitespace";
                throw new InfuseException("added token \"" + token + "\" holds " + what
                        + ", which BERT splits before any token could match; expected one word");
            }
            if (BertChars.isDropped(cp)) {
                continue;
            }
            String stripped = stripAccents && cp >= 0x80 ? BertChars.stripAccents(cp) : new String(Character.toChars(cp));
            for (int j = 0; j < stripped.length(); ) {
                int c = stripped.codePointAt(j);
                j += Character.charCount(c);
                if (!doLowerCase) {
                    out.appendCodePoint(c);
                } else if (BertChars.toLower(c) >= 0) {
                    out.appendCodePoint(BertChars.toLower(c));
                } else {
                    out.append(BertChars.DOTTED_I_LOWER);
                }
            }
        }
        if (out.length() == 0) {
            throw new InfuseException("added token \"" + token + "\" is empty after normalisation");
        }
        return out.toString();
    }

    public boolean doLowerCase() {
        return doLowerCase;
    }

    public boolean stripAccents() {
        return stripAccents;
    }

    /** Tokens by id, unmodifiable. */
    public List<String> vocab() {
        return vocab;
    }

    public int unkId() {
        return unkId;
    }

    @Override
    public Encoding encode(String text) {
        return encode(Objects.requireNonNull(text, "text"), null);
    }

    @Override
    public Encoding encodePair(String a, String b) {
        return encode(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    /** {@code [CLS] a [SEP]}, then {@code b [SEP]} with type id 1 when b is not null. */
    private Encoding encode(String a, String b) {
        Run run = new Run();
        run.addSpecial(clsId);
        run.text(a);
        run.addSpecial(sepId);
        if (b != null) {
            run.typeId = 1;
            run.text(b);
            run.addSpecial(sepId);
        }
        return run.build();
    }

    @Override
    public int tokenToId(String token) {
        return ids.getOrDefault(token, -1);
    }

    @Override
    public String idToToken(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocab.size() + ")");
        }
        return vocab.get(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int maskId() {
        return maskId;
    }

    @Override
    public String maskToken() {
        return "[MASK]";
    }

    @Override
    public int clsId() {
        return clsId;
    }

    @Override
    public int sepId() {
        return sepId;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public boolean isSpecial(int id) {
        return id == padId || id == unkId || id == clsId || id == sepId || id == maskId;
    }

    /** Writes {@code vocab.txt} plus {@code tokenizer.json} and its configs, so Python can load it too. */
    @Override
    public void save(Path dir) {
        VocabFile.write(vocab, dir.resolve("vocab.txt"));
        TokenizerJsonWriter.write(vocab, doLowerCase, stripAccents, dir, added);
        VocabFile.writeAdded(added, ids, dir.resolve(VocabFile.ADDED_TOKENS));
    }

    /** Length of the never-split token starting at {@code p}, or 0. */
    private int neverSplitAt(String text, int p) {
        if (neverSplitFirstChars.indexOf(text.charAt(p)) < 0) {
            return 0;
        }
        for (String s : neverSplit) {
            if (text.startsWith(s, p)) {
                return s.length();
            }
        }
        return 0;
    }

    /**
     * State of one encode call: the growing output columns and the current word's normalised chars,
     * each with the original [start, end) char span it came from.
     */
    private final class Run {
        int[] outIds = new int[32];
        int[] outTypes = new int[32];
        int[] outStarts = new int[32];
        int[] outEnds = new int[32];
        int[] outWords = new int[32];
        boolean[] outSpecial = new boolean[32];
        int n;
        int typeId;
        int nextWord;

        /** Normalised chars since the last whitespace/CJK boundary, held for added-token matching. */
        final OffsetChars chunk = new OffsetChars();

        final OffsetChars word = new OffsetChars();

        void text(String text) {
            int p = 0;
            int len = text.length();
            while (p < len) {
                int special = neverSplitAt(text, p);
                if (special > 0) {
                    boundary();
                    add(ids.get(text.substring(p, p + special)), p, p + special, false, nextWord++);
                    p += special;
                    continue;
                }
                int cp = text.codePointAt(p);
                int end = p + Character.charCount(cp);
                normalize(cp, p, end);
                p = end;
            }
            boundary();
        }

        /** clean_text, then CJK isolation, then accent stripping and lower-casing, then pre-tokenising. */
        private void normalize(int cp, int start, int end) {
            if (BertChars.isDropped(cp)) {
                return;
            }
            if (BertChars.isWhitespace(cp)) {
                boundary();
            } else if (BertChars.isCjk(cp)) {
                boundary();
                transform(cp, start, end);
                boundary();
            } else {
                transform(cp, start, end);
            }
        }

        private void transform(int cp, int start, int end) {
            if (cp < 0x80 || !stripAccents) {
                lowerCase(cp, start, end);
                return;
            }
            String stripped = BertChars.stripAccents(cp);
            for (int i = 0; i < stripped.length(); ) {
                int c = stripped.codePointAt(i);
                lowerCase(c, start, end);
                i += Character.charCount(c);
            }
        }

        private void lowerCase(int cp, int start, int end) {
            if (!doLowerCase) {
                normalized(cp, start, end);
                return;
            }
            int lower = BertChars.toLower(cp);
            if (lower >= 0) {
                normalized(lower, start, end);
            } else {
                normalized(BertChars.DOTTED_I_LOWER.charAt(0), start, end);
                normalized(BertChars.DOTTED_I_LOWER.charAt(1), start, end);
            }
        }

        /** One normalised code point: straight to pre-tokenising, or held in the chunk when tokens were added. */
        private void normalized(int cp, int start, int end) {
            if (addedByFirst.isEmpty()) {
                split(cp, start, end);
                return;
            }
            chunk.append(cp, start, end);
        }

        /** Whitespace, a CJK char, a special token or the end: match added tokens in the chunk, finish the word. */
        private void boundary() {
            int len = chunk.len;
            chunk.len = 0;
            int i = 0;
            while (i < len) {
                AddedToken match = addedAt(i, len);
                if (match != null) {
                    int last = i + match.normalized().length() - 1;
                    flushWord();
                    add(match.id(), chunk.starts[i], chunk.ends[last], false, nextWord++);
                    i = last + 1;
                } else {
                    int cp = Character.codePointAt(chunk.chars, i, len);
                    split(cp, chunk.starts[i], chunk.ends[i]);
                    i += Character.charCount(cp);
                }
            }
            flushWord();
        }

        /** The longest added token starting at chunk index {@code i}, or null. */
        private AddedToken addedAt(int i, int len) {
            List<AddedToken> candidates = addedByFirst.get(chunk.chars[i]);
            if (candidates == null) {
                return null;
            }
            for (AddedToken a : candidates) {
                String t = a.normalized();
                if (t.length() <= len - i && new String(chunk.chars, i, t.length()).equals(t)) {
                    return a;
                }
            }
            return null;
        }

        /** BertPreTokenizer on one normalised code point: whitespace ends a word, punctuation stands alone. */
        private void split(int cp, int start, int end) {
            if (BertChars.isWhitespace(cp)) {
                flushWord();
            } else if (BertChars.isPunctuation(cp)) {
                flushWord();
                append(cp, start, end);
                flushWord();
            } else {
                append(cp, start, end);
            }
        }

        private void append(int cp, int start, int end) {
            word.append(cp, start, end);
        }

        /** Greedy longest-match-first WordPiece on the current word; a failed word is one [UNK]. */
        private void flushWord() {
            if (word.len == 0) {
                return;
            }
            int wordId = nextWord++;
            int len = word.len;
            word.len = 0;
            if (Character.codePointCount(word.chars, 0, len) > MAX_CHARS_PER_WORD) {
                add(unkId, word.starts[0], word.ends[len - 1], false, wordId);
                return;
            }
            int rollback = n;
            int start = 0;
            while (start < len) {
                Map<String, Integer> pieces = start == 0 ? ids : continuations;
                int end = Math.min(len, start + (start == 0 ? maxPieceChars : maxContinuationChars));
                if (end < len && end > start && splitsPair(end)) {
                    end--;
                }
                int found = -1;
                while (end > start) {
                    Integer id = pieces.get(new String(word.chars, start, end - start));
                    if (id != null) {
                        found = id;
                        break;
                    }
                    end -= end - start >= 2 && splitsPair(end - 1) ? 2 : 1;
                }
                if (found < 0) {
                    n = rollback;
                    add(unkId, word.starts[0], word.ends[len - 1], false, wordId);
                    return;
                }
                add(found, word.starts[start], word.ends[end - 1], false, wordId);
                start = end;
            }
        }

        /** True when a cut before index {@code i} would separate a surrogate pair. */
        private boolean splitsPair(int i) {
            return Character.isLowSurrogate(word.chars[i]) && Character.isHighSurrogate(word.chars[i - 1]);
        }

        void addSpecial(int id) {
            add(id, -1, -1, true, -1);
        }

        private void add(int id, int start, int end, boolean special, int wordId) {
            if (n == outIds.length) {
                int cap = n * 2;
                outIds = Arrays.copyOf(outIds, cap);
                outTypes = Arrays.copyOf(outTypes, cap);
                outStarts = Arrays.copyOf(outStarts, cap);
                outEnds = Arrays.copyOf(outEnds, cap);
                outWords = Arrays.copyOf(outWords, cap);
                outSpecial = Arrays.copyOf(outSpecial, cap);
            }
            outIds[n] = id;
            outTypes[n] = typeId;
            outStarts[n] = start;
            outEnds[n] = end;
            outWords[n] = wordId;
            outSpecial[n] = special;
            n++;
        }

        Encoding build() {
            return new Encoding(Arrays.copyOf(outIds, n), Arrays.copyOf(outTypes, n), Arrays.copyOf(outStarts, n),
                    Arrays.copyOf(outEnds, n), Arrays.copyOf(outSpecial, n), Arrays.copyOf(outWords, n));
        }
    }

    /** Characters with the text offsets each came from, grown as needed: a word, or a chunk between boundaries. */
    private static final class OffsetChars {
        char[] chars = new char[64];
        int[] starts = new int[64];
        int[] ends = new int[64];
        int len;

        void append(int cp, int start, int end) {
            if (len + 2 > chars.length) {
                int cap = chars.length * 2;
                chars = Arrays.copyOf(chars, cap);
                starts = Arrays.copyOf(starts, cap);
                ends = Arrays.copyOf(ends, cap);
            }
            int count = Character.toChars(cp, chars, len);
            for (int i = 0; i < count; i++) {
                starts[len] = start;
                ends[len] = end;
                len++;
            }
        }
    }
}
