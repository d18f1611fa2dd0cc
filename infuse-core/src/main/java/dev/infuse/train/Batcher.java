package dev.infuse.train;

import dev.infuse.mask.MaskedExample;
import dev.infuse.mask.Masker;
import dev.infuse.train.data.Cursor;
import dev.infuse.train.data.Instance;
import dev.infuse.train.data.InstanceStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Instances to masked micro-batches. Holds no state beyond the stream's cursor: each instance's masks come
 * from (seed, epoch, index), so seeking the cursor is a complete resume of the data side.
 *
 * <p>An objective that reads entity mentions ({@link Objective#linksPerInstance}) gets up to that many
 * linked mentions per instance, the first ones in text order whose entity it accepts. One that does not
 * mask ({@link Objective#masks}) gets the text unchanged and no MLM positions.
 */
public final class Batcher implements BatchSource<MlmBatch> {
    private final InstanceStream stream;
    private final Masker masker;
    private final long seed;
    private final int batchSize;
    private final int padId;
    private final Objective objective;
    private ModelMasking modelMasking;
    private dev.infuse.model.BertModel model;

    public Batcher(InstanceStream stream, Masker masker, long seed, int batchSize, int padId) {
        this(stream, masker, seed, batchSize, padId, Objective.mlm());
    }

    public Batcher(InstanceStream stream, Masker masker, long seed, int batchSize, int padId, Objective objective) {
        this.stream = stream;
        this.masker = masker;
        this.seed = seed;
        this.batchSize = batchSize;
        this.padId = padId;
        this.objective = objective;
    }

    /**
     * Lets {@code masking} choose every batch's tokens after reading {@code model} (the one being trained, so its
     * choices follow the weights as they move; a resumed run restores those weights first).
     */
    public Batcher choosingWith(ModelMasking masking, dev.infuse.model.BertModel model) {
        this.modelMasking = masking;
        this.model = model;
        return this;
    }

    @Override
    public MlmBatch next() {
        List<Instance> instances = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            instances.add(objective.rewrite(stream.next(), seed)); // a masking that reads the model sees the rewritten text
        }
        List<boolean[]> chosen = null;
        List<java.util.Random> rngs = new ArrayList<>();
        if (modelMasking != null && objective.masks()) {
            instances.forEach(in -> rngs.add(Masker.rngFor(seed, in.epoch(), in.index())));
            chosen = modelMasking.choose(model, instances.stream().map(Instance::tokens).toList(), rngs);
        }
        List<MaskedExample> examples = new ArrayList<>(batchSize);
        List<MlmBatch.Linked> linked = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            Instance in = instances.get(i);
            if (chosen != null) {
                examples.add(masker.apply(in.tokens(), chosen.get(i), rngs.get(i)));
            } else if (objective.masks()) {
                examples.add(masker.mask(in.tokens(), seed, in.epoch(), in.index()));
            } else {
                int[] labels = new int[in.tokens().size()];
                java.util.Arrays.fill(labels, MaskedExample.IGNORE);
                examples.add(new MaskedExample(in.tokens().ids().clone(), labels));
            }
            link(in, i, linked);
        }
        return MlmBatch.of(examples, padId, linked);
    }

    private void link(Instance in, int row, List<MlmBatch.Linked> out) {
        int taken = 0;
        for (int k = 0; k < in.entities().size() && taken < objective.linksPerInstance(); k++) {
            String entity = in.entities().get(k);
            if (!entity.isEmpty() && objective.links(entity)) {
                int[] span = in.tokens().entitySpans().get(k);
                out.add(new MlmBatch.Linked(row, span[0], span[1], entity, linkSeed(seed, in.epoch(), in.index(), k), in.replaced().contains(k)));
                taken++;
            }
        }
    }

    /** The seed of mention {@code k} of an instance: a stream apart from the masks' (seed + 1), so links never change masks. */
    public static long linkSeed(long seed, long epoch, long index, int k) {
        return Masker.rngFor(seed + 1, epoch, index * 64 + k).nextLong();
    }

    @Override
    public Cursor cursor() {
        return stream.cursor();
    }

    @Override
    public void seek(Cursor c) {
        stream.seek(c);
    }

    @Override
    public void close() {
        stream.close();
    }
}
