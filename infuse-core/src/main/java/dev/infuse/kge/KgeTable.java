package dev.infuse.kge;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.io.RunLock;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained embedding directory: {@code embeddings.safetensors} with the tables {@code entity_embedding} (E, De)
 * and {@code relation_embedding} (R, Dr), whose rows are named by the entity and relation ids in the file's
 * metadata (row i is the i-th id); {@link KgeConfig#FILE} saying what the rows mean; {@code provenance.json}.
 * Self-contained: evaluation and the methods that read KG vectors need neither the triples nor infuse's
 * dictionaries.
 */
public final class KgeTable {
    public static final String FILE = "embeddings.safetensors";
    static final String FORMAT = "infuse-kge-table-1";
    private static final Gson GSON = new Gson();

    private KgeTable() {}

    public static void write(Path dir, KgeModel model, KgIds ids) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put(KgeModel.ENTITY, Checkpoints.toHost(model.entities()));
        t.put(KgeModel.RELATION, Checkpoints.toHost(model.relations()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", model.config().model().id());
        meta.put("entities", GSON.toJson(ids.entities()));
        meta.put("relations", GSON.toJson(ids.relations()));
        Safetensors.write(dir.resolve(FILE), t, meta);
        model.config().write(dir);
    }

    /** The model and dictionaries of {@code dir}; anything that is not a whole, consistent table is one line. */
    public record Loaded(KgeModel model, KgIds ids) {}

    public static Loaded read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InfuseException("--embeddings " + dir + ": no such directory; expected the --output of infuse kge train");
        }
        if (Files.exists(dir.resolve(RunLock.FILE))) {
            throw new InfuseException("--embeddings " + dir + " is unfinished (a run is writing it, or was killed); wait, or rerun kge train with --resume");
        }
        KgeConfig config = KgeConfig.read(dir);
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("--embeddings " + dir + " has no " + FILE);
        }
        Map<String, String> meta = new HashMap<>();
        Map<String, HostTensor> t = Safetensors.readWithMetadata(file, meta);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new InfuseException(file + " is not an infuse embedding table (format " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        List<String> entities;
        List<String> relations;
        try {
            entities = GSON.fromJson(meta.get("entities"), new TypeToken<List<String>>() {}.getType());
            relations = GSON.fromJson(meta.get("relations"), new TypeToken<List<String>>() {}.getType());
        } catch (RuntimeException e) {
            throw new InfuseException(file + ": unreadable entity or relation list in its metadata");
        }
        HostTensor e = t.get(KgeModel.ENTITY);
        HostTensor r = t.get(KgeModel.RELATION);
        if (entities == null || relations == null || e == null || r == null
                || !shaped(e, entities.size(), config.entityColumns()) || !shaped(r, relations.size(), config.relationColumns())) {
            throw new InfuseException(file + ": expected " + KgeModel.ENTITY + " (" + (entities == null ? "?" : entities.size()) + ", "
                    + config.entityColumns() + ") and " + KgeModel.RELATION + " (" + (relations == null ? "?" : relations.size()) + ", "
                    + config.relationColumns() + ") as " + KgeConfig.FILE + " and the id lists say, found "
                    + (e == null ? "none" : e.shapeString()) + " and " + (r == null ? "none" : r.shapeString()));
        }
        return new Loaded(new KgeModel(config, floats(e), entities.size(), floats(r), relations.size()), new KgIds(entities, relations));
    }

    private static boolean shaped(HostTensor t, int rows, int cols) {
        return t.shape().length == 2 && t.shape()[0] == rows && t.shape()[1] == cols;
    }

    private static float[] floats(HostTensor t) {
        float[] a = new float[t.data().remaining()];
        t.data().duplicate().get(a);
        return a;
    }
}
