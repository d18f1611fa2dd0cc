package dev.infuse.inject.adapter;

import dev.infuse.InfuseException;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.model.BertConfig;
import dev.infuse.model.LayerHook;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.HookSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Houlsby or Pfeiffer adapter as asked for, before the model loads: its identity holds the layout and the
 * reduction factor, so a resume with another adapter size is refused before any work.
 *
 * @param reduction AdapterHub's {@code reduction_factor}: the bottleneck is hidden_size / reduction units (16: 48 for 768)
 */
public record BottleneckSpec(BottleneckAdapter.Layout layout, int reduction) implements KnowledgeSpec, HookSpec {
    public static final int DEFAULT_REDUCTION = 16;

    public BottleneckSpec {
        if (reduction < 1) {
            throw new InfuseException("--adapter-reduction must be at least 1, found " + reduction);
        }
    }

    static Map<String, Object> identity(BottleneckAdapter.Layout layout, int reduction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adapter", layout.label());
        m.put("adapter-reduction", reduction);
        return m;
    }

    @Override
    public String name() {
        return layout.label();
    }

    @Override
    public Map<String, Object> identity() {
        return identity(layout, reduction);
    }

    @Override
    public List<String> files() {
        return List.of(AdapterFiles.CONFIG, AdapterHubFiles.WEIGHTS);
    }

    @Override
    public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
        return BottleneckAdapter.create(layout, reduction, lm.model().config(), seed);
    }

    @Override
    public void save(LayerHook hook, java.nio.file.Path dir, String baseModel) {
        ((Knowledge) hook).save(dir, new dev.infuse.inject.SaveContext(baseModel, null, Map.of()));
    }

    @Override
    public LayerHook create(BertConfig config, long seed) {
        return BottleneckAdapter.create(layout, reduction, config, seed);
    }
}
