package dev.infuse.inject.pelt;

import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.inject.SavedFiles;
import dev.infuse.inject.SubjectHint;
import dev.infuse.inject.TextRow;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PELT as a knowledge plug-in: every text is tokenized with a slot after each mention that has a table row
 * ({@link PeltPlugin}), the slot's input embedding being the entity's vector. A model saved with it keeps a
 * copy of the table ({@value #FILE}) and its SHA-256, so eval reads the very vectors training saw.
 */
public final class PeltKnowledge implements Knowledge {
    public static final String NAME = "pelt";
    public static final String FILE = "entity_table.pelt";

    /** {@code --entity-table FILE --norm N}: the table must have been built by the model it is opened on. */
    public record Spec(Path table, float norm) implements KnowledgeSpec {
        public Spec {
            if (!(norm > 0) || Float.isInfinite(norm)) {
                throw new InfuseException("--norm must be positive and finite, found " + norm);
            }
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Map<String, Object> identity() {
            return PeltKnowledge.identity(Provenance.sha256(table), norm);
        }

        @Override
        public java.util.List<String> files() {
            return java.util.List.of(FILE);
        }

        @Override
        public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
            EntityTable t = EntityTable.read(table);
            t.requireModel(lm, table);
            return new PeltKnowledge(t, new PeltPlugin(t, lm.tokenizer(), norm), norm, Provenance.sha256(table));
        }
    }

    private final EntityTable table;
    private final PeltPlugin plugin;
    private final float norm;
    private final String sha256;

    private PeltKnowledge(EntityTable table, PeltPlugin plugin, float norm, String sha256) {
        this.table = table;
        this.plugin = plugin;
        this.norm = norm;
        this.sha256 = sha256;
    }

    /** The plug-in over a table already in memory; its identity then names no file. */
    public static PeltKnowledge of(PeltPlugin plugin, float norm) {
        return new PeltKnowledge(plugin.table(), plugin, norm, "(in memory)");
    }

    /**
     * Loads the table a model directory holds, after checking it still has its recorded hash. Its fingerprint
     * is not checked against the model: the table was checked against the base model when training started,
     * and fine-tuning changes the encoder's fingerprint by design.
     */
    public static Knowledge load(LoadContext c) {
        Path file = c.dir().resolve(c.entry().get("file").getAsString());
        SavedFiles.requireUnchanged(file, c.entry(), "a PELT entity table");
        String now = Provenance.sha256(file);
        float norm = c.entry().get("norm").getAsFloat();
        EntityTable t = EntityTable.read(file);
        return new PeltKnowledge(t, new PeltPlugin(t, c.lm().tokenizer(), norm), norm, now);
    }

    public PeltPlugin plugin() {
        return plugin;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> identity() {
        return identity(sha256, norm);
    }

    /** The table's content and the norm of its vectors: what changes the rows PELT makes. */
    static Map<String, Object> identity(String tableSha256, float norm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pelt-table-sha256", tableSha256);
        m.put("pelt-norm", norm);
        return m;
    }

    @Override
    public RowRole rowRole() {
        return RowRole.RETOKENIZES;
    }

    /**
     * The text with its slots. A probe's subject hint, for an entity the table has, links that subject and
     * nothing else (as the PELT paper's probes do); otherwise the table's names link what they find. The
     * encoding's ids are the row's: a slot holds the placeholder id, not the mask token it was spelled with.
     */
    @Override
    public TextRow encode(String text, TextRow row) {
        List<PeltPlugin.Linked> links = row.extras().get(SubjectHint.KEY) instanceof SubjectHint h && table.contains(h.entity())
                ? PeltPlugin.linkSubject(text, h.surface(), h.entity()) : List.of();
        PeltPlugin.Aligned a = plugin.encodeAligned(text, links.isEmpty() ? plugin.link(text) : links);
        Encoding e = a.encoding();
        int[] ids = new int[e.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) a.row().ids()[i];
        }
        return new TextRow(new Encoding(ids, e.typeIds(), e.starts(), e.ends(), e.special(), e.wordIds()), a.row().overrides(), null, null,
                row.extras());
    }

    @Override
    public JsonObject save(Path dir, SaveContext context) {
        Path file = dir.resolve(FILE);
        table.write(file); // a copy, so the run directory is complete
        JsonObject o = new JsonObject();
        o.addProperty("file", FILE);
        o.addProperty("sha256", Provenance.sha256(file));
        o.addProperty("norm", norm);
        return o;
    }
}
