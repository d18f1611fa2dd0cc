package dev.infuse.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the tokenizer for a model directory. */
public final class Tokenizers {
    private Tokenizers() {}

    /**
     * {@code tokenizer.json} if present (an {@link HfTokenizer}, exactly what Python would run), else
     * {@code vocab.txt} (a {@link WordPieceTokenizer}; {@code do_lower_case} and {@code strip_accents} from
     * {@code tokenizer_config.json} when it sets them, lower-casing by default), else an error.
     */
    public static Tokenizer load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new InfuseException((Files.exists(modelDir) ? "model path is not a directory: "
                    : "model directory not found: ") + modelDir);
        }
        if (Files.isRegularFile(modelDir.resolve("tokenizer.json"))) {
            return HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        }
        Path vocab = modelDir.resolve("vocab.txt");
        if (Files.isRegularFile(vocab)) {
            JsonObject config = readConfig(modelDir.resolve("tokenizer_config.json"));
            boolean lower = flag(config, "do_lower_case", true);
            boolean strip = flag(config, "strip_accents", lower);
            return WordPieceTokenizer.load(vocab, lower, strip);
        }
        throw new InfuseException("no tokenizer in " + modelDir + ": expected tokenizer.json or vocab.txt");
    }

    /**
     * The model directory's WordPiece tokenizer from its {@code vocab.txt} (and {@code added_tokens.json}), with the casing of
     * {@code tokenizer_config.json}: what a vocabulary can grow on as ordinary entries, which a {@code tokenizer.json} cannot be
     * edited into here. Where both files are present they give the same ids (infuse writes them together); a
     * {@code tokenizer.json} whose model is not WordPiece (RoBERTa's BPE) is refused.
     */
    public static WordPieceTokenizer wordPiece(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new InfuseException((Files.exists(modelDir) ? "model path is not a directory: " : "model directory not found: ") + modelDir);
        }
        Path json = modelDir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            String type = modelType(json);
            if (!"WordPiece".equals(type)) {
                throw new InfuseException("the tokenizer of " + modelDir + " is " + type + ", not BERT's WordPiece; only a WordPiece vocabulary can be extended");
            }
        }
        Path vocab = modelDir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) {
            throw new InfuseException("no vocab.txt in " + modelDir + ": a WordPiece vocabulary is needed");
        }
        JsonObject config = readConfig(modelDir.resolve("tokenizer_config.json"));
        boolean lower = flag(config, "do_lower_case", true);
        boolean strip = flag(config, "strip_accents", lower);
        return WordPieceTokenizer.load(vocab, lower, strip);
    }

    /** {@code model.type} of a tokenizer.json ("WordPiece", "BPE", "Unigram"), or "unknown". */
    private static String modelType(Path json) {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8));
            JsonElement model = e.isJsonObject() ? e.getAsJsonObject().get("model") : null;
            JsonElement type = model != null && model.isJsonObject() ? model.getAsJsonObject().get("type") : null;
            return type != null && type.isJsonPrimitive() ? type.getAsString() : "unknown";
        } catch (IOException | com.google.gson.JsonParseException e) {
            throw new InfuseException("cannot read tokenizer.json (" + e.getMessage() + "): " + json, e);
        }
    }

    private static JsonObject readConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new InfuseException("tokenizer_config.json is not a JSON object: " + file);
            }
            return e.getAsJsonObject();
        } catch (IOException | com.google.gson.JsonParseException e) {
            throw new InfuseException("cannot read tokenizer_config.json (" + e.getMessage() + "): " + file, e);
        }
    }

    /** A boolean setting; absent or null means {@code fallback}, anything else but true/false is an error. */
    private static boolean flag(JsonObject config, String key, boolean fallback) {
        JsonElement v = config.get(key);
        if (v == null || v.isJsonNull()) {
            return fallback;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()) {
            return v.getAsBoolean();
        }
        throw new InfuseException("tokenizer_config.json: " + key + " is " + v + ", expected true, false or null");
    }
}
