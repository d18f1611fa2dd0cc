package dev.infuse.task;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a saved task model must agree before anything is scored with it: {@code task.json}'s labels are
 * distinct and are {@code config.json}'s {@code id2label} and {@code label2id}, which transformers reads, and
 * the head has one output per label. Each disagreement is one line naming the file.
 */
final class SavedTaskCheck {
    private SavedTaskCheck() {}

    static void labels(Path dir, List<String> labels) {
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            if (!seen.add(l)) {
                throw new InfuseException(dir.resolve(TaskModel.TASK_FILE) + ": label \"" + l + "\" appears twice in \"labels\"");
            }
        }
        Path config = dir.resolve("config.json");
        if (!Files.exists(config)) {
            return; // an adapter run: the encoder and its config are the base model's, the labels only in task.json
        }
        JsonObject c;
        try {
            c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + config + ": " + e.getMessage());
        }
        if (!c.has("id2label") && !c.has("label2id")) {
            return; // written before task models carried transformers' label maps
        }
        JsonObject id2label = object(c, "id2label", config);
        JsonObject label2id = object(c, "label2id", config);
        if (id2label.size() != labels.size() || label2id.size() != labels.size()) {
            throw new InfuseException(config + " maps " + id2label.size() + " ids (id2label) and " + label2id.size()
                    + " labels (label2id), but " + TaskModel.TASK_FILE + " has " + labels.size() + " labels");
        }
        for (int i = 0; i < labels.size(); i++) {
            JsonElement name = id2label.get(Integer.toString(i));
            if (name == null || !name.isJsonPrimitive() || !name.getAsString().equals(labels.get(i))) {
                throw new InfuseException(config + ": id2label[" + i + "] is " + (name == null ? "missing" : name) + ", but "
                        + TaskModel.TASK_FILE + " says \"" + labels.get(i) + "\"");
            }
            JsonElement id = label2id.get(labels.get(i));
            if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber() || id.getAsInt() != i) {
                throw new InfuseException(config + ": label2id[\"" + labels.get(i) + "\"] is " + (id == null ? "missing" : id)
                        + ", expected " + i);
            }
        }
    }

    /** The head's outputs are the labels. */
    static void head(Path dir, int outputs, int labels) {
        if (outputs != labels) {
            throw new InfuseException(dir + ": the task head has " + outputs + " outputs but " + TaskModel.TASK_FILE + " lists " + labels
                    + " labels");
        }
    }

    private static JsonObject object(JsonObject c, String key, Path config) {
        JsonElement e = c.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new InfuseException(config + ": \"" + key + "\" is " + (e == null ? "missing" : "not an object"));
        }
        return e.getAsJsonObject();
    }
}
