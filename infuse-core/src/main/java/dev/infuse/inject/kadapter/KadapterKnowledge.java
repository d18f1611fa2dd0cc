package dev.infuse.inject.kadapter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.LoadContext;
import dev.infuse.inject.SaveContext;
import dev.infuse.inject.SavedFiles;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Jsons;
import dev.infuse.io.Provenance;
import dev.infuse.model.OutputModule;
import dev.infuse.model.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The factual adapter as a knowledge plug-in: it leaves rows alone, adds one module after the encoder (the task head
 * then reads {@code [last ; adapter]}, twice the hidden size) and keeps the encoder frozen while it trains. Its files
 * are {@value #WEIGHTS} (the reference's {@code AdapterModel} tensor names) and {@value #CONFIG}.
 */
public final class KadapterKnowledge implements Knowledge {
    public static final String NAME = "kadapter";
    public static final String WEIGHTS = "kadapter_model.safetensors";
    public static final String CONFIG = "kadapter_config.json";

    private final FactualAdapter adapter;
    private final Map<String, Object> loadedFrom;

    KadapterKnowledge(FactualAdapter adapter, Map<String, Object> loadedFrom) {
        this.adapter = adapter;
        this.loadedFrom = Map.copyOf(loadedFrom);
    }

    public FactualAdapter adapter() {
        return adapter;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = identity(adapter.config());
        m.putAll(loadedFrom);
        return m;
    }

    static Map<String, Object> identity(KadapterConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kadapter-layers", c.layers().toString());
        m.put("kadapter-size", c.adapterSize());
        m.put("kadapter-transformer-layers", c.transformerLayers());
        m.put("kadapter-heads", c.heads());
        m.put("kadapter-intermediate", c.intermediate());
        m.put("kadapter-init-range", c.initRange());
        return m;
    }

    @Override
    public List<OutputModule> outputModules() {
        return List.of(adapter);
    }

    @Override
    public boolean freezesEncoder() {
        return true;
    }

    @Override
    public JsonObject save(Path dir, SaveContext context) {
        Safetensors.write(dir.resolve(WEIGHTS), adapter.export());
        AtomicFiles.writeString(dir.resolve(CONFIG), Jsons.pretty().toJson(adapter.config().toJson()) + "\n");
        JsonObject e = new JsonObject();
        e.addProperty("file", WEIGHTS);
        e.addProperty("sha256", Provenance.sha256(dir.resolve(WEIGHTS)));
        e.addProperty("config", CONFIG);
        e.addProperty("config_sha256", Provenance.sha256(dir.resolve(CONFIG)));
        return e;
    }

    /** The adapter a model directory holds: the files its task.json entry names (this method's defaults when it names none). */
    public static KadapterKnowledge load(LoadContext c) {
        JsonObject e = c.entry();
        Path weights = c.dir().resolve(e.has("file") ? e.get("file").getAsString() : WEIGHTS);
        Path config = c.dir().resolve(e.has("config") ? e.get("config").getAsString() : CONFIG);
        SavedFiles.requireUnchanged(weights, e, "a K-Adapter (" + WEIGHTS + ")");
        JsonObject configEntry = new JsonObject();
        if (e.has("config_sha256")) {
            configEntry.addProperty("sha256", e.get("config_sha256").getAsString());
        }
        SavedFiles.requireUnchanged(config, configEntry, "a K-Adapter (" + CONFIG + ")");
        KadapterConfig k;
        try {
            k = KadapterConfig.fromJson(JsonParser.parseString(Files.readString(config)).getAsJsonObject(), config.toString());
        } catch (IOException | RuntimeException bad) {
            if (bad instanceof InfuseException ie) {
                throw ie;
            }
            throw new InfuseException("cannot read " + config + ": " + bad.getMessage());
        }
        k.requireFits(c.lm().model().config(), config.toString());
        FactualAdapter a = FactualAdapter.of(k, Safetensors.read(weights), weights.toString());
        return new KadapterKnowledge(a, Map.of("kadapter-sha256", Provenance.sha256(weights)));
    }

    @Override
    public void close() {
        adapter.close();
    }
}
