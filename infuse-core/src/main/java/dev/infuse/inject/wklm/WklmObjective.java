package dev.infuse.inject.wklm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Tensors;
import dev.infuse.mask.Masker;
import dev.infuse.train.LinearHead;
import dev.infuse.train.Losses;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import dev.infuse.train.data.Instance;
import java.util.List;
import java.util.Map;

/**
 * WKLM's replaced-entity detection: each linked mention's [first token; last token] final states through a
 * linear head to two logits (original, replaced), trained with cross-entropy, which over two classes is the binary
 * cross-entropy of the logit difference.
 */
final class WklmObjective implements Objective {
    static final String WEIGHT = "wklm.head.weight";
    static final String BIAS = "wklm.head.bias";
    /** At most this many mentions of a window are scored; FOLDOC windows of 128 tokens hold far fewer. */
    static final int MENTIONS_PER_WINDOW = 32;

    private final MentionSwap swap;
    private final LinearHead head; // 2H -> 2

    WklmObjective(MentionSwap swap, int hidden, long seed) {
        this.swap = swap;
        this.head = new LinearHead("wklm.head", 2, 2 * hidden, seed);
    }

    /** The swap draws its own stream (seed + 3), apart from the masks' and the links', so adding WKLM moves neither. */
    @Override
    public Instance rewrite(Instance in, long seed) {
        return swap.rewrite(in, Masker.rngFor(seed + 3, in.epoch(), in.index()));
    }

    @Override
    public int linksPerInstance() {
        return MENTIONS_PER_WINDOW;
    }

    @Override
    public boolean links(String entity) {
        return true;
    }

    @Override
    public NDArray loss(MlmForward f) {
        MlmBatch batch = f.batch();
        List<MlmBatch.Linked> links = batch.linked();
        if (links.isEmpty()) {
            return null;
        }
        NDManager s = f.manager();
        int n = links.size();
        int t = batch.input().length();
        long[] first = new long[n];
        long[] last = new long[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            MlmBatch.Linked l = links.get(i);
            first[i] = (long) l.row() * t + l.start();
            last[i] = (long) l.row() * t + l.end() - 1;
            labels[i] = l.replaced() ? 1 : 0;
        }
        NDArray flat = f.lastHidden().reshape(-1, f.model().config().hiddenSize()); // (B*T, H)
        NDArray pair = flat.get(Tensors.copyOf(s, first, new Shape(n))).concat(flat.get(Tensors.copyOf(s, last, new Shape(n))), 1); // (N, 2H)
        NDArray logits = head.apply(pair); // (N, 2)
        return Losses.crossEntropy(logits, Tensors.copyOf(s, labels, new Shape(n))); // ()
    }

    @Override
    public Map<String, NDArray> parameters() {
        return head.parameters();
    }

    @Override
    public void close() {
        head.close();
    }
}
