package dev.infuse.inject.kbert;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run uses a knowledge graph: {@code --kg}, {@code --kg-branches}, {@code --kg-no-visible-matrix}, and
 * the seed that picks each subject's branches (the run's {@code --seed}).
 *
 * @param graph a K-BERT {@code .spo} file or a domain bundle directory
 * @param branches at most this many (predicate, object) branches per linked subject
 * @param visibleMatrix false for K-BERT's "knowledge noise" ablation: soft positions, full attention
 */
public record KbertOptions(Path graph, int branches, boolean visibleMatrix, long seed) {
    public static final int DEFAULT_BRANCHES = 2;

    public KbertOptions {
        if (graph == null) {
            throw new InfuseException("--kg needs a file");
        }
        if (branches < 1) {
            throw new InfuseException("--kg-branches must be at least 1, found " + branches);
        }
    }

    /** The settings for a run's identity and provenance ({@code kg-sha256} is added by whoever reads the file). */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kg", graph.toString());
        m.put("kg-branches", branches);
        m.put("kg-visible-matrix", visibleMatrix);
        m.put("kg-seed", seed);
        return m;
    }
}
