package dev.infuse.inject.adapter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the adapter_config.json files: nulls kept (PEFT and AdapterHub write them), one error line for a bad file. */
public final class AdapterFiles {
    public static final String CONFIG = "adapter_config.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private AdapterFiles() {}

    static void write(Path file, JsonObject o) {
        AtomicFiles.writeString(file, GSON.toJson(o) + "\n");
    }

    static JsonObject read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("missing " + file);
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            if (!e.isJsonObject()) {
                throw new InfuseException(file + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        } catch (com.google.gson.JsonParseException e) {
            throw new InfuseException(file + " is not valid JSON: " + e.getMessage());
        }
    }

    /** A number written as an integer when it is one, as Python's json writes an int. */
    static Number number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }

    /** The entry task.json records: the two files with their SHA-256, and the settings. */
    static JsonObject entry(Path dir, String config, String weights, java.util.Map<String, Object> identity) {
        JsonObject e = new JsonObject();
        e.addProperty("config", config);
        e.addProperty("config_sha256", Provenance.sha256(dir.resolve(config)));
        e.addProperty("weights", weights);
        e.addProperty("weights_sha256", Provenance.sha256(dir.resolve(weights)));
        JsonObject settings = new JsonObject();
        identity.forEach((k, v) -> settings.add(k, GSON.toJsonTree(v)));
        e.add("settings", settings);
        return e;
    }

    /** The files task.json's entry names are the ones it hashed; an edited or swapped file is one line. */
    static void checkEntry(dev.infuse.inject.LoadContext context) {
        JsonObject e = context.entry();
        for (String k : new String[] {"config", "weights"}) {
            if (e == null || isNull(e, k) || isNull(e, k + "_sha256")) {
                continue;
            }
            Path f = context.dir().resolve(e.get(k).getAsString());
            if (!Files.isRegularFile(f)) {
                throw new InfuseException("missing " + f + ", which task.json names");
            }
            if (!Provenance.sha256(f).equals(e.get(k + "_sha256").getAsString())) {
                throw new InfuseException(f + " changed since it was saved (its SHA-256 differs from task.json's)");
            }
        }
    }

    static boolean isNull(JsonObject o, String key) {
        return !o.has(key) || o.get(key).isJsonNull();
    }
}
