package dev.infuse.inject.adapter;

import dev.infuse.InfuseException;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.model.BertConfig;
import dev.infuse.model.LayerHook;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.HookSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA as asked for: rank, alpha, dropout and target modules, named as PEFT's {@code target_modules} are (a
 * module matches a target that is its name or a dot-separated suffix of it, so {@code query} is
 * {@code attention.self.query} and {@code dense} is every dense projection of a layer). Defaults are PEFT's
 * {@code LoraConfig}: r 8, alpha 8, dropout 0.0; targets query and value, PEFT's choice for BERT.
 *
 * @param targets the target names as given (written back into adapter_config.json as they were)
 */
public record LoraSpec(int r, float alpha, float dropout, List<String> targets) implements KnowledgeSpec, HookSpec {
    public static final int DEFAULT_R = 8;
    public static final float DEFAULT_ALPHA = 8f;
    public static final List<String> DEFAULT_TARGETS = List.of("query", "value");

    public LoraSpec {
        targets = List.copyOf(targets);
        if (r < 1) {
            throw new InfuseException("--lora-r must be at least 1, found " + r);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            throw new InfuseException("--lora-alpha must be positive, found " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InfuseException("--lora-dropout must be in [0, 1), found " + dropout);
        }
        if (targets.isEmpty()) {
            throw new InfuseException("--lora-targets names no module");
        }
        modules(targets);
    }

    public static LoraSpec defaults() {
        return new LoraSpec(DEFAULT_R, DEFAULT_ALPHA, 0f, DEFAULT_TARGETS);
    }

    /** alpha / r, PEFT's scaling without rsLoRA. */
    public float scale() {
        return alpha / r;
    }

    /** The projections of a layer the targets name, in {@link LayerHook#LINEAR_MODULES} order. */
    public List<String> modules() {
        return modules(targets);
    }

    static List<String> modules(List<String> targets) {
        List<String> out = new ArrayList<>();
        for (String t : targets) {
            List<String> hit = LayerHook.LINEAR_MODULES.stream().filter(m -> m.equals(t) || m.endsWith("." + t)).toList();
            if (hit.isEmpty()) {
                throw new InfuseException("--lora-targets: \"" + t + "\" names no projection of a BERT layer (expected one of query, key, value, "
                        + "attention.output.dense, intermediate.dense, output.dense, or dense for all three)");
            }
            hit.stream().filter(m -> !out.contains(m)).forEach(out::add);
        }
        out.sort(java.util.Comparator.comparingInt(LayerHook.LINEAR_MODULES::indexOf));
        return out;
    }

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("adapter", "lora");
        m.put("lora-r", r);
        m.put("lora-alpha", alpha);
        m.put("lora-dropout", dropout);
        m.put("lora-targets", String.join(",", modules()));
        return m;
    }

    @Override
    public List<String> files() {
        return List.of(AdapterFiles.CONFIG, PeftFiles.WEIGHTS);
    }

    @Override
    public Knowledge open(MaskedLm lm, int maxSeqLength, long seed) {
        return Lora.create(this, lm.model().config(), seed);
    }

    @Override
    public void save(LayerHook hook, java.nio.file.Path dir, String baseModel) {
        ((Knowledge) hook).save(dir, new dev.infuse.inject.SaveContext(baseModel, null, Map.of()));
    }

    @Override
    public LayerHook create(BertConfig config, long seed) {
        return Lora.create(this, config, seed);
    }
}
