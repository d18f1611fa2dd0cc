package dev.infuse.cli;

import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.kbert.KbertKnowledge;
import dev.infuse.inject.kbert.KbertOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** {@code --kg}, {@code --kg-branches}, {@code --kg-no-visible-matrix}: K-BERT's sentence trees in a command's inputs. */
final class KgOptions {
    @Option(names = "--kg", paramLabel = "FILE",
            description = "A knowledge graph for K-BERT: a .spo file (subject<TAB>predicate<TAB>object) or a domain bundle directory (its triples).")
    Path graph;

    @Range(min = 1)
    @Option(names = "--kg-branches", paramLabel = "N",
            description = "At most N (predicate, object) branches per linked subject, picked with --seed (default 2; eval: what training used).")
    Integer branches;

    @Option(names = "--kg-no-visible-matrix",
            description = "Keep soft positions but let every token see every token (K-BERT's knowledge-noise ablation).")
    boolean noVisibleMatrix;

    /** The settings for a new run, or null without {@code --kg}; the other two flags alone are a mistake. */
    KbertOptions forTraining(long seed) {
        if (graph == null) {
            requireNoOthers();
            return null;
        }
        return new KbertOptions(graph, branches == null ? KbertOptions.DEFAULT_BRANCHES : branches, !noVisibleMatrix, seed);
    }

    /** The plug-in for a new run, or null without {@code --kg}. */
    KnowledgeSpec spec(long seed) {
        KbertOptions o = forTraining(seed);
        return o == null ? null : new KbertKnowledge.Spec(o);
    }

    /**
     * How a saved model's graph entry changes under the flags given (none: it stays as recorded); a model trained
     * without a graph gets one only from {@code --kg}.
     */
    Map<String, UnaryOperator<JsonObject>> edits() {
        if (graph == null && branches == null && !noVisibleMatrix) {
            return Map.of();
        }
        return Map.of(KbertKnowledge.NAME, saved -> {
            if (saved == null && graph == null) {
                requireNoOthers();
            }
            return KbertKnowledge.edit(saved, graph, branches, noVisibleMatrix);
        });
    }

    private void requireNoOthers() {
        if (branches != null || noVisibleMatrix) {
            throw new InfuseException("--kg-branches and --kg-no-visible-matrix need a graph: give --kg FILE");
        }
    }
}
