package dev.infuse.inject;

import com.google.gson.JsonObject;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A plug-in that an earlier run trained and saved in its own files in {@code dir} (an adapter pretrained on a
 * domain's corpus), opened again by its method's loader: what the comparison's tasks put on top of a model.
 */
public record SavedKnowledge(String name, Path dir) implements KnowledgeSpec {
    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name + "-saved-in", dir.toString());
        try (Stream<Path> files = Files.list(dir)) {
            String own = name.replace('-', '_') + "_"; // a method's own files: ernie_fusion.safetensors, kge_concat_entities.safetensors
            files.filter(f -> f.getFileName().toString().startsWith("adapter") || f.getFileName().toString().startsWith(own)).sorted()
                    .forEach(f -> m.put(name + "-" + f.getFileName() + "-sha256", Provenance.sha256(f)));
        } catch (IOException e) {
            throw new dev.infuse.InfuseException("cannot list " + dir + ": " + e.getMessage());
        }
        return m;
    }

    @Override
    public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
        return KnowledgeTypes.get(name, dir.toString()).load(new LoadContext(dir, new JsonObject(), lm, maxSeqLength));
    }
}
