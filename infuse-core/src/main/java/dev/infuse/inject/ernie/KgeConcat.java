package dev.infuse.inject.ernie;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.inject.TextRow;
import dev.infuse.io.Provenance;
import dev.infuse.kge.KgeTable;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertOutput;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.OutputModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT + KG embeddings (Ostendorff et al. 2019) as a knowledge plug-in: a text's mentions are linked as ERNIE links
 * them, and the states the task head reads get the mean KG vector of the text's linked entities appended at every
 * position (zero when none is linked), so a sentence head reads [CLS ; mean vector] and a span head its span's mean
 * with it. The vectors stay frozen; only the wider head learns.
 */
public final class KgeConcat implements Knowledge, OutputModule {
    public static final String NAME = "kge-concat";
    public static final String FILE = "kge_concat_entities.safetensors";
    /** Its own key, so ERNIE's alignments (possibly from another table) and these never overwrite each other. */
    static final String KEY = "kge-concat.entities";

    /** {@code kge train}'s output for the bundle's triples, linked by the bundle's names. */
    public record Spec(Path embeddings, Path domain) implements KnowledgeSpec {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Map<String, Object> identity() {
            Path table = embeddings.resolve(KgeTable.FILE);
            if (!Files.isRegularFile(table)) {
                throw new InfuseException(NAME + ": " + embeddings + " has no " + KgeTable.FILE + "; expected the output of infuse kge train");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kge-concat-embeddings-sha256", Provenance.sha256(table));
            List<Path> entities = BundleFiles.variants(DomainBundle.open(domain).dir(), BundleFiles.ENTITIES);
            m.put("kge-concat-entities-sha256", entities.isEmpty() ? "none" : Provenance.sha256(entities.get(0)));
            return m;
        }

        @Override
        public List<String> files() {
            return List.of(FILE);
        }

        @Override
        public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
            return new KgeConcat(EntityVectors.fromKge(embeddings, domain));
        }
    }

    private final EntityVectors entities;
    private final EntityLinker linker;

    KgeConcat(EntityVectors entities) {
        this.entities = entities;
        this.linker = new EntityLinker(entities);
    }

    /** Keeps the vectors of a {@code kge train} output, with the bundle's names that link them, in {@code dir} for {@link #load}. */
    public static void writeVectors(Path embeddings, Path domain, Path dir) {
        EntityVectors.fromKge(embeddings, domain).write(dir.resolve(FILE));
    }

    /** The plug-in a task model directory holds. */
    public static Knowledge load(LoadContext c) {
        Path file = c.dir().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InfuseException(c.dir() + " has no " + FILE + " (kge-concat's entity vectors)");
        }
        return new KgeConcat(EntityVectors.read(file));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kge-concat-entities", entities.size());
        m.put("kge-concat-dimension", entities.dim());
        return m;
    }

    @Override
    public TextRow encode(String text, TextRow row) {
        return linker.link(text, row, KEY);
    }

    @Override
    public List<OutputModule> outputModules() {
        return List.of(this);
    }

    @Override
    public int width(int width) {
        return width + entities.dim();
    }

    @Override
    public NDArray forward(NDArray states, BertOutput encoder, BertInput input, boolean training) {
        int b = input.batchSize();
        long t = states.getShape().get(1);
        int d = entities.dim();
        float[] mean = new float[b * d];
        for (int i = 0; i < b; i++) {
            if (input.context().get(i, KEY) instanceof EntityAlignment a && a.size() > 0) {
                for (int k = 0; k < a.size(); k++) {
                    for (int j = 0; j < d; j++) {
                        mean[i * d + j] += entities.vectors()[a.rows()[k] * d + j] / a.size();
                    }
                }
            }
        }
        try (NDArray m = Tensors.copyOf(states.getManager(), mean, new Shape(b, 1, d));
                NDArray spread = m.broadcast(new Shape(b, t, d))) {
            return states.concat(spread, 2); // (B, T, H + d)
        }
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of();
    }

    @Override
    public JsonObject save(Path dir, SaveContext context) {
        entities.write(dir.resolve(FILE));
        JsonObject o = new JsonObject();
        o.addProperty("file", FILE);
        o.addProperty("sha256", Provenance.sha256(dir.resolve(FILE)));
        return o;
    }
}
