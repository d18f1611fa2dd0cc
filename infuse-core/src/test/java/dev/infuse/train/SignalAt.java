package dev.infuse.train;

import dev.infuse.io.StopSignal;

/** Acts as a signal arriving during the step after {@code step}: what the handler does, without a signal. */
public final class SignalAt implements TrainListener {
    private final long step;
    private final StopSignal.Kind kind;

    public SignalAt(long step, StopSignal.Kind kind) {
        this.step = step;
        this.kind = kind;
    }

    @Override
    public void onStep(StepReport r) {
        if (r.step() == step) {
            StopSignal.request(kind);
        }
    }
}
