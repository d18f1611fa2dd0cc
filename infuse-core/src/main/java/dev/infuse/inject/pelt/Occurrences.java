package dev.infuse.inject.pelt;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.text.Encoding;
import dev.infuse.text.MentionMatcher;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The mentions a PELT table is built from, in corpus order: the bundle's own mentions where a passage has
 * them, the matcher's otherwise. An entity mentioned more than {@code maxOccurrences} times keeps a seeded
 * random sample, chosen after one counting pass so the corpus is only ever streamed.
 */
final class Occurrences {
    /** A selected mention: its table row, and the passage it sits in. */
    record Spot(int row, Passage passage, Mention mention) {}

    private final DomainBundle bundle;
    private final MentionMatcher matcher;
    private final Map<String, Integer> rowOf = new LinkedHashMap<>();
    private final List<Entity> selected = new ArrayList<>();
    private final PeltOptions options;
    private Map<Integer, BitSet> sampled;

    Occurrences(DomainBundle bundle, PeltOptions options) {
        this(bundle, bundle.requireValid().entities(), options);
    }

    /** The selection and matcher alone, for passages that come from elsewhere ({@link PeltParts}). */
    Occurrences(List<Entity> entities, PeltOptions options) {
        this(null, entities, options);
    }

    private Occurrences(DomainBundle bundle, List<Entity> entities, PeltOptions options) {
        this.bundle = bundle;
        this.options = options;
        MentionMatcher.Builder b = MentionMatcher.builder();
        for (Entity e : entities) {
            b.add(e.name(), e.id(), true);
            e.aliases().forEach(a -> b.add(a, e.id(), false));
            if (options.entities().isEmpty() || options.entities().contains(e.id()) || options.entities().contains(e.type())) {
                rowOf.put(e.id(), selected.size());
                selected.add(e);
            }
        }
        if (selected.isEmpty()) {
            throw new InfuseException("--entities " + options.entities() + " names no entity id or type of the bundle");
        }
        this.matcher = b.build();
    }

    List<Entity> selected() {
        return selected;
    }

    /** First pass: counts each selected entity's mentions and draws the sample for the over-mentioned. */
    int[] count() {
        int[] counts = new int[selected.size()];
        forEachMention(s -> counts[s.row()]++);
        sampled = sample(counts);
        return counts;
    }

    /**
     * For each entity mentioned more than {@code maxOccurrences} times, which of its mentions (numbered in corpus
     * order from 0) the build keeps: a shuffle seeded by the seed and the entity's id, so it depends on the
     * counts alone and not on who counted them.
     */
    Map<Integer, BitSet> sample(int[] counts) {
        Map<Integer, BitSet> sampled = new HashMap<>();
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > options.maxOccurrences()) {
                Random rng = new Random(options.seed() * 31 + selected.get(r).id().hashCode());
                int[] order = new int[counts[r]];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                BitSet keep = new BitSet(counts[r]);
                for (int i = 0; i < options.maxOccurrences(); i++) {
                    keep.set(order[i]);
                }
                sampled.put(r, keep);
            }
        }
        return sampled;
    }

    /** Second pass: every kept mention in corpus order. Call {@link #count} first. */
    void forEachKept(Consumer<Spot> sink) {
        int[] seen = new int[selected.size()];
        forEachMention(s -> {
            BitSet keep = sampled.get(s.row());
            int k = seen[s.row()]++;
            if (keep == null || keep.get(k)) {
                sink.accept(s);
            }
        });
    }

    private void forEachMention(Consumer<Spot> sink) {
        try (Stream<Passage> passages = bundle.passages()) {
            passages.forEach(p -> spots(p, sink));
        }
    }

    /** The selected entities' mentions in one passage, in order: its own mentions if it has any, the matcher's otherwise. */
    void spots(Passage p, Consumer<Spot> sink) {
        if (!p.mentions().isEmpty()) {
            for (Mention m : p.mentions()) {
                Integer row = rowOf.get(m.entity());
                if (row != null) {
                    sink.accept(new Spot(row, p, m));
                }
            }
        } else {
            matcher.match(p.text(), m -> {
                Integer row = rowOf.get(m.entity());
                if (row != null) {
                    sink.accept(new Spot(row, p, new Mention(m.start(), m.end(), m.entity())));
                }
            });
        }
    }

    /**
     * The window for a mention: the passage's tokens with every token overlapping the mention replaced by
     * ONE mask, cut to {@code maxSeqLength} around the mask. Tokenizing the passage once and replacing
     * tokens equals tokenizing the text with the mention replaced, because mentions end at word boundaries.
     */
    static MaskWindow window(Tokenizer tok, Spot s, int maxSeqLength) {
        return window(tok, tok.encode(s.passage().text()), s, maxSeqLength);
    }

    static MaskWindow window(Tokenizer tok, Encoding e, Spot s, int maxSeqLength) {
        int[] ids = e.ids();
        List<Integer> inner = new ArrayList<>();
        int mask = -1;
        for (int i = 0; i < ids.length; i++) {
            if (e.special()[i] && e.starts()[i] < 0) {
                continue; // [CLS] and [SEP] added by the tokenizer; re-added around the window
            }
            boolean inside = e.starts()[i] < s.mention().end() && e.ends()[i] > s.mention().start();
            if (inside) {
                if (mask < 0) {
                    mask = inner.size();
                    inner.add(tok.maskId());
                }
            } else {
                inner.add(ids[i]);
            }
        }
        if (mask < 0) {
            return null; // the mention covers no token (for example only dropped characters)
        }
        int room = maxSeqLength - 2;
        int from = Math.max(0, Math.min(mask - room / 2, inner.size() - room));
        int to = Math.min(inner.size(), from + room);
        long[] out = new long[to - from + 2];
        out[0] = tok.clsId();
        for (int i = from; i < to; i++) {
            out[i - from + 1] = inner.get(i);
        }
        out[out.length - 1] = tok.sepId();
        return new MaskWindow(s.row(), out, mask - from + 1);
    }
}
