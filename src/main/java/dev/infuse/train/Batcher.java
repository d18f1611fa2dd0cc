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
 */
public final class Batcher implements AutoCloseable {
    private final InstanceStream stream;
    private final Masker masker;
    private final long seed;
    private final int batchSize;
    private final int padId;

    public Batcher(InstanceStream stream, Masker masker, long seed, int batchSize, int padId) {
        this.stream = stream;
        this.masker = masker;
        this.seed = seed;
        this.batchSize = batchSize;
        this.padId = padId;
    }

    public MlmBatch next() {
        List<MaskedExample> examples = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            Instance in = stream.next();
            examples.add(masker.mask(in.tokens(), seed, in.epoch(), in.index()));
        }
        return MlmBatch.of(examples, padId);
    }

    public Cursor cursor() {
        return stream.cursor();
    }

    public void seek(Cursor c) {
        stream.seek(c);
    }

    @Override
    public void close() {
        stream.close();
    }
}
