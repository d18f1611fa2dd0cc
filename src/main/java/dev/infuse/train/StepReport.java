package dev.infuse.train;

import dev.infuse.train.data.Cursor;

/**
 * What one optimizer step did.
 *
 * @param step optimizer steps completed, counting this one (1-based)
 * @param loss mean MLM loss over the step's micro-batches
 * @param gradNorm global gradient norm before clipping
 * @param tokens real tokens read in the step
 * @param predicted positions scored by the loss
 * @param modelSeconds forward, backward and update time
 * @param seconds the whole step, data and masking included
 * @param cursor where the data stream resumes after this step
 */
public record StepReport(long step, long maxSteps, double loss, float lr, double gradNorm, int tokens, int predicted,
        double modelSeconds, double seconds, Cursor cursor) {}
