package dev.infuse.train.data;

import dev.infuse.InfuseException;
import dev.infuse.mask.TokenInstance;
import dev.infuse.text.ChineseWords;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns passages into token instances of at most {@code maxLength} tokens, {@code [CLS] body [SEP]},
 * reading the corpus as a stream and starting a new epoch at its end.
 *
 * <p>PACKED fills each instance with consecutive whole passages of one document (RoBERTa's DOC-SENTENCES),
 * so little compute goes to padding; FILL also cuts a passage at the word boundary nearest the end of an
 * instance and carries the rest into the next one, so instances are full to the last word, still without
 * crossing a document; FULL cuts at the exact token, inside a word if need be, as Hugging Face's run_mlm
 * groups its texts, so every instance but a document's last is exactly full and a batch of them needs no
 * padding mask (the word's pieces on each side of the cut count as a word of their own); LINE gives every
 * passage its own instance. A passage longer than an instance is cut into several, at word boundaries
 * where possible, in every mode. Only the current
 * passage is held in memory.
 */
public final class InstanceStream implements AutoCloseable {
    public enum Packing { PACKED, FILL, FULL, LINE }

    private final PassageSource source;
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final Packing packing;
    private PassageSource.Pass pass;
    private Cursor cursor;
    private Body pending; // the passage at cursor.passage(), encoded, or null if not yet read
    private long instancesThisEpoch;

    /** The body tokens of one passage: no specials, word ids from 0, mention token spans. */
    private record Body(int[] ids, int[] wordIds, List<int[]> mentions, List<String> entities, boolean startsDocument) {}

    public InstanceStream(PassageSource source, Tokenizer tokenizer, int maxLength, Packing packing) {
        if (maxLength < 3) {
            throw new InfuseException("--max-seq-length must leave room for [CLS], a token and [SEP]: found " + maxLength);
        }
        this.source = source;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.packing = packing;
        seek(Cursor.start());
    }

    /** Where the next instance starts. */
    public Cursor cursor() {
        return cursor;
    }

    /** Restarts the stream at {@code c}: reopens the corpus and skips passages without tokenizing them. */
    public void seek(Cursor c) {
        closePass();
        pass = source.open();
        for (long i = 0; i < c.passage(); i++) {
            if (!pass.hasNext()) {
                throw new InfuseException("cannot resume: " + source.describe() + " has fewer passages than the checkpoint's cursor ("
                        + c.passage() + "); was the corpus changed?");
            }
            pass.next();
        }
        cursor = c;
        pending = null;
        instancesThisEpoch = c.index();
    }

    public Instance next() {
        List<Integer> ids = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        List<int[]> mentions = new ArrayList<>();
        List<String> entities = new ArrayList<>();
        int capacity = maxLength - 2;
        long epoch = cursor.epoch();
        long index = cursor.index();
        int wordBase = 0;
        while (true) {
            Body body = peek();
            if (body == null) {
                if (!ids.isEmpty()) {
                    break; // finish this instance; the epoch ends at the next call
                }
                newEpoch();
                epoch = cursor.epoch();
                index = cursor.index();
                continue;
            }
            if (!ids.isEmpty() && (packing == Packing.LINE || body.startsDocument() && cursor.token() == 0)) {
                break;
            }
            int from = cursor.token();
            int room = capacity - ids.size();
            if (room == 0) {
                break; // exactly full (FULL packing, or a passage that fit to the last slot)
            }
            int to = Math.min(body.ids().length, from + room);
            if (to < body.ids().length && packing == Packing.FULL) {
                // FULL: the instance ends exactly at its capacity; the rest of the passage opens the next
            } else if (to < body.ids().length && ids.isEmpty()) {
                to = wordBoundary(body, from, to);
            } else if (to < body.ids().length) {
                int cut = packing == Packing.FILL ? wordStart(body, from, to) : from;
                if (cut == from) {
                    break; // the rest of this passage does not fit: it opens the next instance
                }
                to = cut; // FILL: the words that fit end this instance, the rest opens the next
            }
            int firstWord = body.wordIds()[from];
            for (int t = from; t < to; t++) {
                ids.add(body.ids()[t]);
                words.add(wordBase + body.wordIds()[t] - firstWord);
            }
            int offset = ids.size() - (to - from); // where this chunk starts in the instance body
            for (int k = 0; k < body.mentions().size(); k++) {
                int[] m = body.mentions().get(k);
                if (m[0] >= from && m[1] <= to) { // a mention cut by the chunk edge is left out, never half-used
                    int start = 1 + offset + (m[0] - from); // + 1 for [CLS]
                    mentions.add(new int[] {start, start + m[1] - m[0]});
                    entities.add(body.entities().get(k));
                }
            }
            wordBase = words.get(words.size() - 1) + 1;
            advance(body, to);
            if (packing == Packing.LINE && cursor.token() == 0) {
                break;
            }
        }
        cursor = new Cursor(cursor.epoch(), cursor.index() + 1, cursor.passage(), cursor.token());
        instancesThisEpoch++;
        TokenInstance tokens = build(ids, words, mentions, entities);
        return new Instance(epoch, index, tokens, entities);
    }

    /** {@code entities} is filtered in step with {@code mentions}, so the two stay parallel. */
    private TokenInstance build(List<Integer> body, List<Integer> bodyWords, List<int[]> mentions, List<String> entities) {
        int n = body.size() + 2;
        int[] ids = new int[n];
        int[] words = new int[n];
        boolean[] special = new boolean[n];
        ids[0] = tokenizer.clsId();
        ids[n - 1] = tokenizer.sepId();
        special[0] = true;
        special[n - 1] = true;
        words[0] = -1;
        words[n - 1] = -1;
        for (int i = 0; i < body.size(); i++) {
            ids[i + 1] = body.get(i);
            words[i + 1] = bodyWords.get(i);
            special[i + 1] = tokenizer.isSpecial(ids[i + 1]); // e.g. a literal [MASK] written in the corpus
        }
        for (int k = mentions.size() - 1; k >= 0; k--) {
            int[] m = mentions.get(k);
            for (int i = m[0]; i < m[1]; i++) {
                if (special[i]) {
                    mentions.remove(k);
                    entities.remove(k);
                    break;
                }
            }
        }
        return new TokenInstance(ids, special, words, mentions);
    }

    /** Moves a cut back to the start of the word it would split, unless the word alone fills the chunk. */
    private static int wordBoundary(Body b, int from, int to) {
        int t = to;
        while (t > from + 1 && b.wordIds()[t] == b.wordIds()[t - 1]) {
            t--;
        }
        return b.wordIds()[t] != b.wordIds()[t - 1] ? t : to;
    }

    /** The start of the word that position {@code to} is in, or {@code from} when that word starts at or before it. */
    private static int wordStart(Body b, int from, int to) {
        int t = to;
        while (t > from && b.wordIds()[t] == b.wordIds()[t - 1]) {
            t--;
        }
        return t;
    }

    private void advance(Body body, int to) {
        if (to >= body.ids().length) {
            cursor = new Cursor(cursor.epoch(), cursor.index(), cursor.passage() + 1, 0);
            pending = null;
        } else {
            cursor = new Cursor(cursor.epoch(), cursor.index(), cursor.passage(), to);
        }
    }

    private void newEpoch() {
        if (instancesThisEpoch == 0) {
            throw new InfuseException("corpus " + source.describe() + " has no text to train on");
        }
        seek(new Cursor(cursor.epoch() + 1, 0, 0, 0));
    }

    /** The passage at the cursor, encoded; null at the end of the pass. Empty passages are skipped. */
    private Body peek() {
        while (pending == null) {
            if (!pass.hasNext()) {
                return null;
            }
            Body b = encode(pass.next());
            if (b.ids().length == 0) {
                cursor = new Cursor(cursor.epoch(), cursor.index(), cursor.passage() + 1, 0);
                continue;
            }
            pending = b;
        }
        return pending;
    }

    private Body encode(TextPassage p) {
        Encoding enc = tokenizer.encode(p.text());
        int[] wordIds = ChineseWords.hasCjk(p.text()) ? ChineseWords.regroup(p.text(), enc) : enc.wordIds();
        int[] map = new int[enc.size()]; // encoding position -> body position, -1 for added specials
        List<Integer> ids = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        for (int i = 0; i < enc.size(); i++) {
            if (enc.special()[i]) {
                map[i] = -1;
                continue;
            }
            map[i] = ids.size();
            ids.add(enc.ids()[i]);
            words.add(wordIds[i]);
        }
        int firstWord = words.isEmpty() ? 0 : words.get(0);
        int[] w = new int[words.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = words.get(i) - firstWord; // word ids from 0 within the body
        }
        List<String> entities = new ArrayList<>();
        List<int[]> spans = mentionSpans(p, enc, map, entities);
        return new Body(ids.stream().mapToInt(Integer::intValue).toArray(), w, spans, entities, p.startsDocument());
    }

    /** Char-span mentions to body token spans: the tokens that overlap the mention. */
    private static List<int[]> mentionSpans(TextPassage p, Encoding enc, int[] map, List<String> entities) {
        List<int[]> out = new ArrayList<>();
        int last = 0;
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < p.mentions().size(); k++) {
            order.add(k);
        }
        order.sort((a, b) -> Integer.compare(p.mentions().get(a)[0], p.mentions().get(b)[0])); // stable, as before
        for (int k : order) {
            int[] m = p.mentions().get(k);
            int first = -1;
            int end = -1;
            for (int i = 0; i < enc.size(); i++) {
                if (map[i] >= 0 && enc.starts()[i] < m[1] && enc.ends()[i] > m[0]) {
                    first = first < 0 ? map[i] : first;
                    end = map[i] + 1;
                }
            }
            if (first >= 0 && first >= last) { // overlapping mentions: the earlier one wins
                out.add(new int[] {first, end});
                entities.add(p.entities().get(k));
                last = end;
            }
        }
        return out;
    }

    private void closePass() {
        if (pass != null) {
            pass.close();
            pass = null;
        }
    }

    @Override
    public void close() {
        closePass();
    }
}
