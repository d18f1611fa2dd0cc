package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes the weights of a Hugging Face model directory ({@code config.json}, {@code model.safetensors}). */
public final class Checkpoints {
    private Checkpoints() {}

    /** Loads config and weights from a Hugging Face directory. */
    public static BertModel readHuggingFace(Path dir) {
        BertConfig config = BertConfig.read(requireDirectory(dir).resolve("config.json"));
        Path weights = weightsFile(dir);
        return BertModel.load(config, Safetensors.read(weights), weights.toString());
    }

    private static Path requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InfuseException("model directory not found: " + dir);
        }
        return dir;
    }

    /** The {@code model.safetensors} of a Hugging Face directory; a missing one, or a pickle in its place, is one error line. */
    public static Path weightsFile(Path dir) {
        Path weights = requireDirectory(dir).resolve("model.safetensors");
        if (!Files.exists(weights)) {
            if (Files.exists(dir.resolve("pytorch_model.bin"))) {
                throw new InfuseException(dir + " holds pytorch_model.bin (a Python pickle), which infuse does not read;"
                        + " save it as model.safetensors with transformers' save_pretrained(safe_serialization=True)");
            }
            throw new InfuseException("missing model.safetensors in " + dir);
        }
        return weights;
    }

    /** Writes {@code config.json} and {@code model.safetensors} (keys sorted) into dir. */
    public static void writeHuggingFace(BertModel model, Path dir) {
        writeHuggingFace(model, dir, Map.of(), new JsonObject());
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} with {@code extra} tensors beside the model's (an
     * extra name the model also has replaces the model's) and {@code configMembers} set over the model's config.
     */
    public static void writeHuggingFace(BertModel model, Path dir, Map<String, HostTensor> extra, JsonObject configMembers) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            tensors.put(e.getKey(), toHost(e.getValue()));
        }
        tensors.putAll(extra);
        Safetensors.write(dir.resolve("model.safetensors"), tensors);
        JsonObject config = JsonParser.parseString(model.config().toJson()).getAsJsonObject();
        configMembers.entrySet().forEach(m -> config.add(m.getKey(), m.getValue()));
        AtomicFiles.writeString(dir.resolve("config.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(config) + "\n");
    }

    public static HostTensor toHost(NDArray a) {
        return new HostTensor(a.getShape().getShape(), FloatBuffer.wrap(a.toFloatArray()));
    }
}
