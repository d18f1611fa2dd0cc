package dev.infuse.task.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * BIO tags to entity chunks, decided the way seqeval's default (conlleval-compatible) mode decides them:
 * a chunk starts at every B-, and also at an I- that follows O or a tag of another type (an I- without
 * its B- is not thrown away); it ends before a B-, an O, or a change of type.
 *
 * <p>Why lenient: a model's predicted tag sequence is often invalid BIO, and strict decoding would score
 * the same output differently from the numbers published with seqeval.
 */
public final class Chunks {
    private Chunks() {}

    public static List<Chunk> of(List<String> tags) {
        List<Chunk> out = new ArrayList<>();
        String type = null; // type of the open chunk, null when none is open
        int start = -1;
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            char prefix = tag.isEmpty() ? 'O' : tag.charAt(0);
            String t = prefix == 'O' || tag.length() < 3 ? null : tag.substring(2);
            boolean continues = prefix == 'I' && type != null && type.equals(t);
            if (type != null && !continues) {
                out.add(new Chunk(type, start, i));
                type = null;
            }
            if (t != null && !continues) {
                type = t;
                start = i;
            }
        }
        if (type != null) {
            out.add(new Chunk(type, start, tags.size()));
        }
        return out;
    }
}
