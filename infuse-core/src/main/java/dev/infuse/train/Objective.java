package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ParameterOwner;
import java.io.PrintStream;
import java.util.Map;

/**
 * A masked-LM pretraining objective: the loss of one micro-batch of masked text, plus what the batcher must
 * prepare for it (masks, linked mentions). Plain MLM and ZEO's joint loss are objectives; the loop
 * (accumulation, clipping, AdamW, resume, metrics) stays the {@link Trainer}'s. An objective may own
 * parameters and checkpoint state ({@link ParameterOwner}); they train and resume with the model.
 */
public interface Objective extends ParameterOwner, AutoCloseable {
    /**
     * The scalar loss () of one micro-batch, with every intermediate attached to {@code f.manager()}; null when
     * nothing in the batch is scored, which skips the micro-batch (no gradient, loss 0). The forward pass is
     * {@code f.lastHidden()}, shared with any other objective summed with this one.
     */
    NDArray loss(MlmForward f);

    /** The same, with a forward pass of its own. */
    default NDArray loss(BertModel model, NDManager s, MlmBatch batch, boolean training) {
        return loss(new MlmForward(model, s, batch, input(batch), training));
    }

    /**
     * The instance this objective trains on, made from the one the corpus gave before it is masked: WKLM swaps
     * entity mentions for others of their type. Most objectives take it as it is. Draws come from {@code seed} and
     * the instance's own numbers, so a resumed run rewrites the same way.
     */
    default dev.infuse.train.data.Instance rewrite(dev.infuse.train.data.Instance in, long seed) {
        return in;
    }

    /**
     * The encoder's input for {@code batch}: its own, or with what this objective's modules read beside the tokens
     * (ERNIE's entity alignments, in the input's context). Draws come from the batch's own seeds, so a resumed run
     * feeds the same input.
     */
    default dev.infuse.model.BertInput input(MlmBatch batch) {
        return batch.input();
    }

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
    default Map<String, NDArray> parameters() {
        return Map.of();
    }

    @Override
    default void close() {}

    /**
     * This objective's loss on {@code model}, as the loop takes it. Its parameters and state are trained
     * and checkpointed through the objective itself, added to the run's {@link Trainables} as a module.
     */
    default BatchLoss<MlmBatch> on(BertModel model) {
        return (s, batch, training) -> loss(new MlmForward(model, s, batch, input(batch), training));
    }

    /** The plain MLM objective: mean cross-entropy at the masked positions. */
    static Objective mlm() {
        return f -> f.batch().predicted() == 0 ? null : Trainer.mlmLoss(f.model(), f.manager(), f.batch(), f.lastHidden());
    }

    /**
     * How a run gets its objective: the settings that change the numbers go into the run's identity (so a
     * resume with other settings is refused) before the model is loaded; {@link #open} then builds it.
     */
    interface Spec {
        /** Flag name to value; empty for plain MLM. */
        Map<String, Object> identity();

        Objective open(MaskedLm lm, boolean resumed, PrintStream log);

        /** The share of tokens MLM predicts when the run names none; null for the command's own default. */
        default Double defaultMlmProbability() {
            return null;
        }

        /** Modules inside the encoder this objective trains and reads (ERNIE's fusion layers); they join the run's hooks. */
        default java.util.List<HookSpec> hooks() {
            return java.util.List.of();
        }

        /** The {@code --masking} a run gets when it names none. */
        default String defaultMasking() {
            return "token";
        }

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
