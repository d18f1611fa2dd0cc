package dev.infuse.inject.ernie;

import com.google.gson.JsonObject;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.inject.TextRow;
import dev.infuse.io.Provenance;
import dev.infuse.model.LayerHook;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ERNIE (THU) as a knowledge plug-in: each text's mentions are linked by the entities' names and aliases, each
 * linked mention's first token is aligned with its entity's frozen KG vector ({@link EntityAlignment}), and the
 * fusion layers ({@link ErnieFusion}) mix the two inside the encoder. The row's tokens stay as they are, so PELT's
 * slots and K-BERT's tree compose with it (K-BERT moves the alignments with the tokens).
 */
public final class ErnieKnowledge implements Knowledge {
    public static final String NAME = "ernie";

    private final ErnieFusion fusion;
    private final EntityLinker linker;
    private final String sha256;
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong aligned = new AtomicLong();

    ErnieKnowledge(ErnieFusion fusion, String sha256) {
        this.fusion = fusion;
        this.linker = new EntityLinker(fusion.entities());
        this.sha256 = sha256;
    }

    /** The plug-in a model directory holds: its fusion weights and entity vectors. */
    public static Knowledge load(LoadContext c) {
        Path dir = c.dir();
        return new ErnieKnowledge(ErnieFusion.read(dir, c.lm().model().config()), Provenance.sha256(dir.resolve(ErnieFusion.FILE)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ernie-fusion-sha256", sha256);
        m.put("ernie-layers", fusion.layers());
        if (fusion.heads() > 0) {
            m.put("ernie-entity-heads", fusion.heads());
        }
        return m;
    }

    @Override
    public TextRow encode(String text, TextRow row) {
        TextRow out = linker.link(text, row, EntityAlignment.KEY);
        texts.incrementAndGet();
        if (out != row) {
            aligned.addAndGet(((EntityAlignment) out.extras().get(EntityAlignment.KEY)).size());
        }
        return out;
    }

    EntityVectors fusionEntities() {
        return fusion.entities();
    }

    @Override
    public List<LayerHook> modules() {
        return List.of(fusion);
    }

    @Override
    public List<String> report(String what) {
        long n = texts.getAndSet(0);
        long k = aligned.getAndSet(0);
        return n == 0 ? List.of() : List.of(String.format(Locale.ROOT, "infuse: ernie: %s: %,d entity mentions aligned in %,d texts", what, k, n));
    }

    @Override
    public JsonObject save(Path dir, SaveContext context) {
        fusion.save(dir);
        JsonObject o = new JsonObject();
        o.addProperty("file", ErnieFusion.FILE);
        o.addProperty("sha256", Provenance.sha256(dir.resolve(ErnieFusion.FILE)));
        o.addProperty("entities", EntityVectors.FILE);
        o.addProperty("layers", fusion.layers());
        return o;
    }

    @Override
    public void close() {
        fusion.close();
    }
}
