package dev.infuse.inject;

import dev.infuse.model.MaskedLm;
import java.util.Map;

/**
 * A knowledge method as a command asked for it, before a model is loaded: enough to check a run's identity
 * (so a resume with another graph or another adapter size is refused before any work), then to open the
 * plug-in on the model.
 */
public interface KnowledgeSpec {
    String name();

    /** The settings and input hashes that change the numbers, keys prefixed by the method's name. */
    Map<String, Object> identity();

    /** The files it writes into a model directory, so a rerun knows them as this run's own. */
    default java.util.List<String> files() {
        return java.util.List.of();
    }

    /**
     * The plug-in on {@code lm}: files read and checked against the model, modules created with fresh
     * parameters from {@code seed} (a resume then restores them from the checkpoint).
     */
    Knowledge open(MaskedLm lm, int maxSeqLength, long seed);
}
