package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.kbert.KbertOptions;
import java.nio.file.Path;
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

    /** What a saved run recorded ({@code recorded}, null without a graph), changed by whichever flags were given. */
    KbertOptions over(KbertOptions recorded) {
        if (graph == null && recorded == null) {
            requireNoOthers();
            return null;
        }
        Path g = graph != null ? graph : recorded.graph();
        int b = branches != null ? branches : recorded != null ? recorded.branches() : KbertOptions.DEFAULT_BRANCHES;
        boolean vm = !noVisibleMatrix && (recorded == null || recorded.visibleMatrix());
        return new KbertOptions(g, b, vm, recorded != null ? recorded.seed() : 42); // 42: --seed's default
    }

    private void requireNoOthers() {
        if (branches != null || noVisibleMatrix) {
            throw new InfuseException("--kg-branches and --kg-no-visible-matrix need a graph: give --kg FILE");
        }
    }
}
