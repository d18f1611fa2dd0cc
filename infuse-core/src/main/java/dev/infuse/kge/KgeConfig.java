package dev.infuse.kge;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a table of embeddings means, written as {@code config.json} beside it: the model, the margin and the
 * shapes, so that {@code kge eval} scores with the function the table was trained for.
 *
 * @param norm TransE's distance, 1 or 2; 0 for the other models
 * @param dimension the embedding size as the papers give it: complex numbers for RotatE (stored as 2 x real)
 * @param gamma the margin in the loss
 * @param initRange the bound of the uniform initialisation; RotatE also reads relation phases in its units
 */
public record KgeConfig(Model model, int norm, int dimension, float gamma, float initRange) {
    public static final String FILE = "config.json";
    static final String KIND = "infuse-kge-embeddings";

    public enum Model {
        TRANSE, DISTMULT, ROTATE;

        public static Model parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InfuseException("unknown --model \"" + s + "\": expected transe, distmult or rotate");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KgeConfig {
        if (dimension < 1) {
            throw new InfuseException("--dimension must be at least 1, found " + dimension);
        }
        if (model == Model.TRANSE ? norm != 1 && norm != 2 : norm != 0) {
            throw new InfuseException("--norm is TransE's, 1 or 2; found " + norm + " for " + model.id());
        }
        if (!Float.isFinite(gamma) || !(initRange > 0) || !Float.isFinite(initRange)) {
            throw new InfuseException("the margin must be finite and the initialisation range positive, found " + gamma + " and " + initRange);
        }
    }

    /** Columns of an entity row: RotatE's complex numbers take two floats each. */
    public int entityColumns() {
        return model == Model.ROTATE ? 2 * dimension : dimension;
    }

    /** Columns of a relation row: RotatE's relations are phases, one float per complex dimension. */
    public int relationColumns() {
        return dimension;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND);
        m.put("model", model.id());
        if (norm != 0) {
            m.put("norm", norm);
        }
        m.put("dimension", dimension);
        m.put("gamma", gamma);
        m.put("init_range", initRange);
        return m;
    }

    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve(FILE), Jsons.pretty().toJson(toMap()) + "\n");
    }

    public static KgeConfig read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new InfuseException("--embeddings " + dir + " has no " + FILE + "; expected the --output of infuse kge train");
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            if (!o.has("kind") || !KIND.equals(o.get("kind").getAsString())) {
                throw new InfuseException(f + " is not the config of knowledge-graph embeddings (no \"kind\": \"" + KIND + "\")");
            }
            Model m = Model.parse(o.get("model").getAsString());
            return new KgeConfig(m, o.has("norm") ? o.get("norm").getAsInt() : 0, o.get("dimension").getAsInt(),
                    o.get("gamma").getAsFloat(), o.get("init_range").getAsFloat());
        } catch (IOException e) {
            throw new InfuseException("cannot read " + f + ": " + e.getMessage());
        } catch (InfuseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InfuseException("malformed " + f + ": " + e.getMessage());
        }
    }
}
