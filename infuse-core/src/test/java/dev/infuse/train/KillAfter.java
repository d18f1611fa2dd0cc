package dev.infuse.train;

/** Throws after step {@code step}, as a kill would stop the run there: nothing after the last checkpoint survives. */
public record KillAfter(long step) implements TrainListener {
    @Override
    public void onStep(StepReport r) {
        if (r.step() == step) {
            throw new IllegalStateException("killed");
        }
    }
}
