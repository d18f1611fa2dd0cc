package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.model.BertModel;

/**
 * One micro-batch as the objectives see it, with its forward pass computed on first use and then shared: MLM,
 * ZEO's triplet term and SenseBERT's supersense head all read the same final hidden states, so a sum of
 * objectives costs one pass, as ZEO's joint loss does.
 */
public final class MlmForward {
    private final BertModel model;
    private final NDManager manager;
    private final MlmBatch batch;
    private final boolean training;
    private final dev.infuse.model.BertInput input;
    private NDArray lastHidden;

    public MlmForward(BertModel model, NDManager manager, MlmBatch batch, boolean training) {
        this(model, manager, batch, batch.input(), training);
    }

    /** The micro-batch run on {@code input}: its tokens with what the objectives' modules read beside them. */
    public MlmForward(BertModel model, NDManager manager, MlmBatch batch, dev.infuse.model.BertInput input, boolean training) {
        this.model = model;
        this.manager = manager;
        this.batch = batch;
        this.input = input;
        this.training = training;
    }

    public BertModel model() {
        return model;
    }

    /** The micro-batch's scope: every intermediate of the loss goes here. */
    public NDManager manager() {
        return manager;
    }

    public MlmBatch batch() {
        return batch;
    }

    public boolean training() {
        return training;
    }

    /** The final hidden states (B, T, H), computed by the first objective that asks. */
    public NDArray lastHidden() {
        if (lastHidden == null) {
            lastHidden = model.forward(manager, input, training).lastHidden();
        }
        return lastHidden;
    }
}
