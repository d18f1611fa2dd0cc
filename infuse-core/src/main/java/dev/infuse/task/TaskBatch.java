package dev.infuse.task;

import dev.infuse.train.Batch;
import java.util.List;

/** A fine-tuning micro-batch: encoded examples whose targets the head scores. */
public record TaskBatch(List<Encoded> examples) implements Batch {
    @Override
    public int tokens() {
        return examples.stream().mapToInt(e -> e.row().length()).sum();
    }

    @Override
    public int predicted() {
        return examples.stream().mapToInt(e -> e.targets().size()).sum();
    }

    /** The gold label of every target, in the order the head returns logits. */
    public long[] gold() {
        long[] out = new long[predicted()];
        int j = 0;
        for (Encoded e : examples) {
            for (Target t : e.targets()) {
                out[j++] = t.label();
            }
        }
        return out;
    }
}
