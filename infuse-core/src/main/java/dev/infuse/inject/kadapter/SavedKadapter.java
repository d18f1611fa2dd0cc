package dev.infuse.inject.kadapter;

import com.google.gson.JsonObject;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.LoadContext;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A factual adapter that {@code infuse kadapter train} (or a fine-tune with it) saved in {@code dir}, opened onto a
 * model for a task: its identity is the files' SHA-256, so a resume with another adapter is refused, and the files it
 * writes beside a task model are this run's own.
 */
public record SavedKadapter(Path dir) implements KnowledgeSpec {
    @Override
    public String name() {
        return KadapterKnowledge.NAME;
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kadapter-from", dir.toString());
        m.put("kadapter-sha256", Provenance.sha256(dir.resolve(KadapterKnowledge.WEIGHTS)));
        m.put("kadapter-config-sha256", Provenance.sha256(dir.resolve(KadapterKnowledge.CONFIG)));
        return m;
    }

    @Override
    public List<String> files() {
        return List.of(KadapterKnowledge.WEIGHTS, KadapterKnowledge.CONFIG);
    }

    @Override
    public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
        return KadapterKnowledge.load(new LoadContext(dir, new JsonObject(), lm, maxSeqLength));
    }
}
