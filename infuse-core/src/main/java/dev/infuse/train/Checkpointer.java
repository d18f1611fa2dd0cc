package dev.infuse.train;

import dev.infuse.io.StopSignal;
import dev.infuse.model.BertModel;
import java.nio.file.Path;
import java.util.Map;

/** Saves a {@link TrainCheckpoint} every N steps, after the last one, and where a signal stops the run. */
public final class Checkpointer implements TrainListener {
    private final Path out;
    private final BertModel model;
    private final Trainables params;
    private final AdamW adam;
    private final int every;
    private final Map<String, Object> identity;
    private long lastSaved = -1;

    /** @param model the encoder, or null for a run without one */
    public Checkpointer(Path out, BertModel model, Trainables params, AdamW adam, int every, Map<String, Object> identity) {
        this.out = out;
        this.model = model;
        this.params = params;
        this.adam = adam;
        this.every = every;
        this.identity = Map.copyOf(identity);
    }

    @Override
    public void onStep(StepReport r) {
        if ((every > 0 && r.step() % every == 0) || r.step() == r.maxSteps()) {
            save(r);
        }
    }

    @Override
    public void onStop(StepReport last) {
        if (last != null && last.step() != lastSaved) {
            save(last);
        }
    }

    private void save(StepReport r) {
        try (StopSignal.Writing w = StopSignal.writing()) {
            TrainCheckpoint.save(out, model, params, adam, new TrainCheckpoint.State(r.step(), adam.stepCount(), r.cursor(), identity),
                    Map.of());
        }
        lastSaved = r.step();
    }

    /** The step of the newest checkpoint this run wrote, or -1. */
    public long lastSaved() {
        return lastSaved;
    }
}
