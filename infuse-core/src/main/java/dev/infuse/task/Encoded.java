package dev.infuse.task;

import dev.infuse.model.InputRow;
import java.util.List;

/** One example ready for the encoder: its token row and the targets read from it, in example order. */
public record Encoded(InputRow row, List<Target> targets) {
    public Encoded {
        targets = List.copyOf(targets);
    }
}
