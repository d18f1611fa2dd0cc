package dev.infuse.train;

/**
 * Behaviour around the training loop (logging, progress, checkpoints) kept out of it. Called on the
 * training thread after each optimizer step; a listener that throws stops the run.
 */
public interface TrainListener {
    default void onStart(long step, long maxSteps) {}

    void onStep(StepReport report);

    /** After the last step, before the final model is written. */
    default void onEnd(long step) {}

    /**
     * The run is being stopped by a signal after {@code last} (null: no step ran in this process); a listener
     * that keeps a resumable state saves it now. {@link #onEnd} is not called.
     */
    default void onStop(StepReport last) {}

    /** Asked after every step: true ends the run there (early stopping), with {@link #onEnd} still called. */
    default boolean stopRequested() {
        return false;
    }
}
