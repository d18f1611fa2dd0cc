package dev.infuse.train;

import java.nio.file.Path;

/** What a training run stopped by a signal tells the user about continuing it. */
public final class ResumeHint {
    private ResumeHint() {}

    /** Names the checkpoint in {@code out} and its step, or says there is none to resume from. */
    public static String of(Path out) {
        Path dir = TrainCheckpoint.find(out);
        if (dir == null) {
            return "no checkpoint was written, so there is nothing to resume; rerun the command to start again";
        }
        long step = TrainCheckpoint.readState(dir).step();
        return "the checkpoint of step " + step + " is in " + dir + "; rerun with --resume to continue";
    }
}
