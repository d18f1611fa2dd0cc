package dev.infuse.inject.pelt;

import dev.infuse.InfuseException;
import dev.infuse.model.InputRow;
import dev.infuse.text.Encoding;
import dev.infuse.text.MentionMatcher;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plugs a PELT table into model input: after each mention of an entity with a row, the text gets
 * {@code " ( [ENT] )"}, where {@code [ENT]} is one position whose input embedding is the entity's vector
 * {@code v / |v| * norm}. The slot is an ordinary position otherwise: it gets its position and token-type
 * embeddings and the embedding LayerNorm. Mentions of entities without a row stay plain text.
 *
 * <pre>{@code
 * EntityTable table = EntityTable.read(path);
 * table.requireModel(lm, path);
 * PeltPlugin plug = new PeltPlugin(table, lm.tokenizer(), 7f);
 * InputRow row = plug.encode(text, plug.link(text));
 * }</pre>
 */
public final class PeltPlugin {
    /** A mention {@code [start, end)} in Java chars, linked to an entity id. */
    public record Linked(int start, int end, String entity) {}

    private final EntityTable table;
    private final Tokenizer tok;
    private final float norm;
    private final MentionMatcher matcher;
    private final int slotId;
    private final Map<String, float[]> vectors = new HashMap<>();

    public PeltPlugin(EntityTable table, Tokenizer tok, float norm) {
        if (!(norm > 0)) {
            throw new InfuseException("--norm must be positive, got " + norm);
        }
        this.table = table;
        this.tok = tok;
        this.norm = norm;
        this.matcher = table.matcher(false);
        // The slot's id never reaches the embedding (its vector replaces it); [UNK] keeps RoBERTa's
        // position numbering right, which treats the padding id specially.
        int unk = tok.tokenToId("[UNK]") >= 0 ? tok.tokenToId("[UNK]") : tok.tokenToId("<unk>");
        this.slotId = unk >= 0 ? unk : tok.clsId();
    }

    public EntityTable table() {
        return table;
    }

    /** Mentions of table entities found by the table's own names and aliases, never inside a mask token. */
    public List<Linked> link(String text) {
        List<Linked> out = new ArrayList<>();
        List<int[]> masks = new ArrayList<>();
        for (int at = text.indexOf(tok.maskToken()); at >= 0; at = text.indexOf(tok.maskToken(), at + 1)) {
            masks.add(new int[] {at, at + tok.maskToken().length()});
        }
        matcher.match(text, m -> {
            for (int[] k : masks) {
                if (m.start() < k[1] && m.end() > k[0]) {
                    return;
                }
            }
            out.add(new Linked(m.start(), m.end(), m.entity()));
        });
        return out;
    }

    /** The subject {@code surface} of a sentence linked to {@code entity}: its first case-insensitive occurrence. */
    public static List<Linked> linkSubject(String text, String surface, String entity) {
        int at = text.toLowerCase(Locale.ROOT).indexOf(surface.toLowerCase(Locale.ROOT));
        return at < 0 || surface.isEmpty() ? List.of() : List.of(new Linked(at, at + surface.length(), entity));
    }

    /** Token ids with a slot after every mention that has a row, and the slots' input vectors. */
    public InputRow encode(String text, List<Linked> mentions) {
        return encodeAligned(text, mentions).row();
    }

    /**
     * The encoding of the text with its slots, and the row. {@code encoding}'s offsets point into the ORIGINAL
     * text; the inserted {@code " ( [ENT] )"} tokens are marked special with no offsets, so tasks that map
     * words or spans onto pieces (NER, typing) see the same words as without the table.
     */
    public Aligned encodeAligned(String text, List<Linked> mentions) {
        List<Linked> sorted = new ArrayList<>(mentions);
        sorted.sort(Comparator.comparingInt(Linked::start));
        StringBuilder s = new StringBuilder();
        Map<Integer, String> slotAt = new HashMap<>(); // char offset of a slot placeholder -> entity
        List<int[]> copiedParts = new ArrayList<>(); // {start in s, start in text, length}
        int copied = 0;
        for (Linked m : sorted) {
            if (!table.contains(m.entity()) || m.end() <= copied) {
                continue;
            }
            copiedParts.add(new int[] {s.length(), copied, m.end() - copied});
            s.append(text, copied, m.end()).append(" ( ");
            slotAt.put(s.length(), m.entity());
            s.append(tok.maskToken()).append(" )");
            copied = m.end();
        }
        copiedParts.add(new int[] {s.length(), copied, text.length() - copied});
        s.append(text, copied, text.length());
        Encoding e = tok.encode(s.toString());
        int n = e.ids().length;
        long[] ids = new long[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        boolean[] special = new boolean[n];
        Map<Integer, float[]> overrides = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ids[i] = e.ids()[i];
            String entity = slotAt.get(e.starts()[i]);
            if (entity != null && e.ids()[i] == tok.maskId()) {
                ids[i] = slotId;
                overrides.put(i, vectors.computeIfAbsent(entity, id -> table.vector(id, norm)));
            }
            int[] part = e.special()[i] ? null : partOf(copiedParts, e.starts()[i]);
            special[i] = part == null;
            starts[i] = part == null ? -1 : e.starts()[i] - part[0] + part[1];
            ends[i] = part == null ? -1 : e.ends()[i] - part[0] + part[1];
        }
        Encoding original = new Encoding(e.ids(), e.typeIds(), starts, ends, special, e.wordIds());
        return new Aligned(original, new InputRow(ids, overrides));
    }

    /** The copied part of the text holding augmented offset {@code at}, or null inside an insertion. */
    private static int[] partOf(List<int[]> parts, int at) {
        for (int[] p : parts) {
            if (at >= p[0] && at < p[0] + p[2]) {
                return p;
            }
        }
        return null;
    }

    /** A slotted encoding with offsets into the original text, and the model row with the slot vectors. */
    public record Aligned(Encoding encoding, InputRow row) {}
}
