package dev.infuse.inject.pelt;

import dev.infuse.domain.Entity;
import dev.infuse.domain.Passage;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * A PELT build taken apart, for jobs that run its steps on other machines (infuse-spark). Each piece is the one
 * {@link PeltBuilder} uses: the same mentions per passage, the same sample of an over-mentioned entity, the same
 * windows, the same order inside a chunk and the same mask vectors. Sums added per row in the builder's order
 * (chunk by chunk, and inside a chunk in batch order) therefore give the builder's table byte for byte.
 */
public final class PeltParts {
    private final Occurrences occurrences;
    private final PeltOptions options;

    /** The entities of a bundle (all of them: aliases of unselected ones still take their text) and the build's settings. */
    public PeltParts(List<Entity> entities, PeltOptions options) {
        this.occurrences = new Occurrences(entities, options);
        this.options = options;
    }

    public PeltOptions options() {
        return options;
    }

    /** The entities that get rows, in row order. */
    public List<Entity> selected() {
        return occurrences.selected();
    }

    /** The row of each selected entity's mention in {@code p}, in the order the builder meets them. */
    public void rows(Passage p, IntConsumer row) {
        occurrences.spots(p, s -> row.accept(s.row()));
    }

    /**
     * Which mentions of each over-mentioned entity are kept, by their index among that entity's mentions in
     * corpus order; computed from the whole corpus's counts, as the builder does after its counting pass.
     */
    public Map<Integer, BitSet> sample(int[] counts) {
        return occurrences.sample(counts);
    }

    /**
     * The windows of the mentions in {@code p} that {@code keep} accepts ({@code keep} hears each mention's row, in
     * order). The list has one entry per kept mention, {@code null} where the mention covers no token: such a
     * mention still takes its place in a chunk, as in the builder.
     */
    public List<MaskWindow> windows(Passage p, Tokenizer tokenizer, IntPredicate keep) {
        List<MaskWindow> out = new ArrayList<>();
        Encoding[] encoding = {null};
        occurrences.spots(p, s -> {
            if (keep.test(s.row())) {
                if (encoding[0] == null) {
                    encoding[0] = tokenizer.encode(p.text());
                }
                out.add(Occurrences.window(tokenizer, encoding[0], s, options.maxSeqLength()));
            }
        });
        return out;
    }

    /** A chunk's windows in the order they are batched (sorts {@code chunk} in place and returns it). */
    public static List<MaskWindow> batchOrder(List<MaskWindow> chunk) {
        return PeltBuilder.batchOrder(chunk);
    }

    /** The MLM transform at each window's mask, (N, H) flattened, padded to the batch's longest window. */
    public static float[] maskVectors(MaskedLm lm, List<MaskWindow> batch) {
        return PeltBuilder.maskVectors(lm, batch, 0);
    }

    /** The table of per-row sums (rows x hidden) and counts: entities never mentioned get no row. */
    public EntityTable table(float[] sums, float[] counts, int hidden, String modelFingerprint) {
        return PeltBuilder.toTable(sums, counts, hidden, selected(), modelFingerprint);
    }
}
