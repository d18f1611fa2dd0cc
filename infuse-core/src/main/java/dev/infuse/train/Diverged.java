package dev.infuse.train;

import dev.infuse.InfuseException;

/** The loss or the gradient norm stopped being a finite number; training cannot go on from here. */
public final class Diverged extends InfuseException {
    private final long step;

    public Diverged(long step, String what) {
        super(what + " at step " + step);
        this.step = step;
    }

    /** The 1-based step that diverged. */
    public long step() {
        return step;
    }
}
