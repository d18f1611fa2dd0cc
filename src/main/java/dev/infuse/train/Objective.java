package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import java.io.PrintStream;
import java.util.Map;

/**
 * What the trainer minimises for one micro-batch. The loop (accumulation, clipping, AdamW, resume,
 * metrics) stays the trainer's; a method that needs another loss plugs in here instead of forking it.
 */
public interface Objective extends AutoCloseable {
    /**
     * The scalar loss () of one micro-batch, with every intermediate attached to {@code s}; null when
     * nothing in the batch is scored, which skips the micro-batch (no gradient, loss 0).
     */
    NDArray loss(BertModel model, NDManager s, MlmBatch batch, boolean training);

    /** Whether the batcher masks instances for MLM; false feeds the text unchanged. */
    default boolean masks() {
        return true;
    }

    /** Linked mentions per instance the batcher attaches to a batch; 0 for none. */
    default int linksPerInstance() {
        return 0;
    }

    /** Whether mentions of this entity are worth attaching. */
    default boolean links(String entity) {
        return false;
    }

    @Override
    default void close() {}

    /** The plain MLM objective: mean cross-entropy at the masked positions. */
    static Objective mlm() {
        return (model, s, batch, training) -> batch.predicted() == 0 ? null : Trainer.mlmLoss(model, s, batch, training);
    }

    /**
     * How a run gets its objective: the settings that change the numbers go into the run's identity (so a
     * resume with other settings is refused) before the model is loaded; {@link #open} then builds it.
     */
    interface Spec {
        /** Flag name to value; empty for plain MLM. */
        Map<String, Object> identity();

        Objective open(MaskedLm lm, boolean resumed, PrintStream log);

        Spec MLM = new Spec() {
            @Override
            public Map<String, Object> identity() {
                return Map.of();
            }

            @Override
            public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
                return mlm();
            }
        };
    }
}
