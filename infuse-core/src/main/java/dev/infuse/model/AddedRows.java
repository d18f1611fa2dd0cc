package dev.infuse.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which vocabulary rows of a model directory a vocabulary extension added: {@value #FILE}, written by {@code infuse vocab
 * extend} beside the model. Training reads it to give those rows a learning rate of their own; the rows are
 * {@code [firstId, firstId + count)}.
 */
public record AddedRows(int firstId, int count) {
    public static final String FILE = "vocab_extension.json";

    public AddedRows {
        if (firstId < 0 || count < 1) {
            throw new InfuseException(FILE + ": expected a first id of at least 0 and at least one word, found " + firstId + " and " + count);
        }
    }

    /** The rows added to the model in {@code modelDir}, or null when it holds no {@value #FILE}. */
    public static AddedRows read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonElement first = o.get("first_new_id");
            JsonElement words = o.get("words");
            if (first == null || words == null || !words.isJsonArray()) {
                throw new InfuseException(file + " has no first_new_id or no words list");
            }
            return new AddedRows(first.getAsInt(), words.getAsJsonArray().size());
        } catch (IOException | RuntimeException e) {
            if (e instanceof InfuseException ie) {
                throw ie;
            }
            throw new InfuseException("cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
