package dev.infuse.model;

import ai.djl.ndarray.NDArray;
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
        if (!Files.isDirectory(dir)) {
            throw new InfuseException("model directory not found: " + dir);
        }
        BertConfig config = BertConfig.read(dir.resolve("config.json"));
        Path weights = dir.resolve("model.safetensors");
        if (!Files.exists(weights)) {
            if (Files.exists(dir.resolve("pytorch_model.bin"))) {
                throw new InfuseException(dir + " holds pytorch_model.bin (a Python pickle), which infuse does not read;"
                        + " save it as model.safetensors with transformers' save_pretrained(safe_serialization=True)");
            }
            throw new InfuseException("missing model.safetensors in " + dir);
        }
        return BertModel.load(config, Safetensors.read(weights), weights.toString());
    }

    /** Writes {@code config.json} and {@code model.safetensors} (keys sorted) into dir. */
    public static void writeHuggingFace(BertModel model, Path dir) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            tensors.put(e.getKey(), toHost(e.getValue()));
        }
        Safetensors.write(dir.resolve("model.safetensors"), tensors);
        AtomicFiles.writeString(dir.resolve("config.json"), model.config().toJson());
    }

    public static HostTensor toHost(NDArray a) {
        return new HostTensor(a.getShape().getShape(), FloatBuffer.wrap(a.toFloatArray()));
    }
}
