package dev.infuse.train;

import dev.infuse.train.data.Cursor;

/**
 * What one optimizer step did.
 *
 * @param step optimizer steps completed, counting this one (1-based)
 * @param loss mean loss over the step's micro-batches
 * @param gradNorm global gradient norm before clipping
 * @param tokens real tokens read in the step
 * @param predicted positions or targets scored by the loss
 * @param parts where the model's time went
 * @param seconds the whole step, data and masking included
 * @param cursor where the data stream resumes after this step
 */
public record StepReport(long step, long maxSteps, double loss, float lr, double gradNorm, int tokens, int predicted, Parts parts,
        double seconds, Cursor cursor) {

    /**
     * Seconds of the step's parts, summed over its micro-batches.
     *
     * @param forward the loss computed from the batch (forward pass, head, loss)
     * @param backward autograd's backward pass into the gradients
     * @param update gradient clipping and the optimizer's update
     */
    public record Parts(double forward, double backward, double update) {
        public double total() {
            return forward + backward + update;
        }
    }

    /** Forward, backward and update: the step less data, masking and batching. */
    public double modelSeconds() {
        return parts.total();
    }
}
