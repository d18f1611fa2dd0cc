package dev.infuse.inject.kbert;

import com.google.gson.JsonObject;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.inject.SavedFiles;
import dev.infuse.inject.TextRow;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * K-BERT as a knowledge plug-in: every row becomes its sentence tree, with soft positions and (unless switched
 * off) the visible matrix. It rearranges the row it is given, so another plug-in's tokens (PELT's slots) stay
 * sentence tokens at their own positions, and their slot vectors move with them. A model saved with it keeps
 * the graph as {@value #FILE} and its SHA-256.
 */
public final class KbertKnowledge implements Knowledge {
    public static final String NAME = "kbert";
    public static final String FILE = "knowledge_graph.spo";

    /** {@code --kg FILE [--kg-branches N] [--kg-no-visible-matrix]}; the graph is read once, for its fingerprint and the run. */
    public static final class Spec implements KnowledgeSpec {
        private final KbertOptions options;
        private KnowledgeGraph graph;

        public Spec(KbertOptions options) {
            this.options = options;
        }

        public KbertOptions options() {
            return options;
        }

        private synchronized KnowledgeGraph graph() {
            if (graph == null) {
                graph = KnowledgeGraph.read(options.graph());
            }
            return graph;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Map<String, Object> identity() {
            return KbertKnowledge.identity(options, graph());
        }

        @Override
        public List<String> files() {
            return List.of(FILE);
        }

        @Override
        public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
            return new KbertKnowledge(new KbertEncoder(lm.tokenizer(), graph(), options, maxSeqLength));
        }
    }

    private final KbertEncoder encoder;

    private KbertKnowledge(KbertEncoder encoder) {
        this.encoder = encoder;
    }

    /** The plug-in over an encoder already built (tests, and callers that hold one). */
    public static KbertKnowledge of(KbertEncoder encoder) {
        return new KbertKnowledge(encoder);
    }

    /** The graph a model directory holds, with the settings it recorded; its SHA-256 must still be the recorded one. */
    public static Knowledge load(LoadContext c) {
        JsonObject g = c.entry();
        Path file = c.dir().resolve(g.get("file").getAsString());
        SavedFiles.requireUnchanged(file, g, "a K-BERT graph"); // the saved .spo is the graph as written, so its hash is the fingerprint
        KbertOptions o = new KbertOptions(file, g.get("branches").getAsInt(), g.get("visible_matrix").getAsBoolean(), g.get("seed").getAsLong());
        KnowledgeGraph graph = KnowledgeGraph.read(file);
        return new KbertKnowledge(new KbertEncoder(c.lm().tokenizer(), graph, o, c.maxSeqLength()));
    }

    /**
     * What a saved entry becomes under command-line changes: another graph (whose hash is then not checked
     * against the recorded one), another branch count, the visible matrix off. {@code saved} is null for a model
     * trained without a graph, which then needs {@code graph}.
     */
    public static JsonObject edit(JsonObject saved, Path graph, Integer branches, boolean noVisibleMatrix) {
        if (saved == null && graph == null) {
            return null;
        }
        JsonObject e = saved == null ? new JsonObject() : saved.deepCopy();
        if (graph != null) {
            e.addProperty("file", graph.toAbsolutePath().toString());
            e.remove("sha256");
        }
        e.addProperty("branches", branches != null ? branches : saved != null ? saved.get("branches").getAsInt() : KbertOptions.DEFAULT_BRANCHES);
        e.addProperty("visible_matrix", !noVisibleMatrix && (saved == null || saved.get("visible_matrix").getAsBoolean()));
        if (saved == null) {
            e.addProperty("seed", 42); // --seed's default
        }
        return e;
    }

    public KbertEncoder encoder() {
        return encoder;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> identity() {
        return identity(encoder.options(), encoder.graph());
    }

    /** The settings and the graph's content: a resume with another graph is refused like one with other data. */
    static Map<String, Object> identity(KbertOptions options, KnowledgeGraph graph) {
        Map<String, Object> m = new LinkedHashMap<>(options.settings());
        m.put("kg-sha256", graph.fingerprint());
        return m;
    }

    @Override
    public RowRole rowRole() {
        return RowRole.REARRANGES;
    }

    @Override
    public TextRow encode(String text, TextRow row) {
        SentenceTree.Tree t = encoder.tree(text, row.encoding());
        Map<Integer, float[]> moved = new HashMap<>();
        for (int i = 0; i < t.sentenceIndex().length; i++) {
            float[] v = t.sentenceIndex()[i] < 0 ? null : row.overrides().get(t.sentenceIndex()[i]);
            if (v != null) {
                moved.put(i, v);
            }
        }
        Map<String, Object> extras = new HashMap<>(row.extras());
        extras.replaceAll((k, v) -> v instanceof dev.infuse.inject.TokenAligned a ? a.moved(t.sentenceIndex()) : v);
        return new TextRow(t.encoding(), moved, t.positions(), t.visibility(), extras);
    }

    @Override
    public List<String> report(String what) {
        return encoder.report(what);
    }

    @Override
    public JsonObject save(Path dir, SaveContext context) {
        encoder.graph().write(dir.resolve(FILE));
        JsonObject g = new JsonObject();
        g.addProperty("file", FILE);
        g.addProperty("source", encoder.options().graph().toString());
        g.addProperty("sha256", encoder.graph().fingerprint());
        g.addProperty("branches", encoder.options().branches());
        g.addProperty("visible_matrix", encoder.options().visibleMatrix());
        g.addProperty("seed", encoder.options().seed());
        return g;
    }

}
