package dev.infuse.task;

import java.util.List;
import java.util.Map;

/**
 * The {@code README.md} written beside a fine-tuned model: what it was made from (base model, data and their
 * hashes), the settings, its dev score, its labels, and how Python loads it, all taken from the provenance
 * and the {@link HfTaskLayout}, so the card cannot disagree with the files.
 */
final class ModelCard {
    private ModelCard() {}

    @SuppressWarnings("unchecked")
    static String of(HfTaskLayout layout, Labels labels, Map<String, Object> provenance, Map<String, Object> notes) {
        return of(layout, labels, provenance, notes, null);
    }

    /** @param base the base model when the directory holds only an adapter and the head, or null */
    static String of(HfTaskLayout layout, Labels labels, Map<String, Object> provenance, Map<String, Object> notes, String base) {
        Map<String, Object> inputs = (Map<String, Object>) provenance.getOrDefault("inputs", Map.of());
        Map<String, Object> settings = (Map<String, Object>) provenance.getOrDefault("settings", Map.of());
        StringBuilder b = new StringBuilder();
        b.append("---\nlibrary_name: transformers\n");
        b.append("pipeline_tag: ").append(layout.kind() == HfTaskLayout.Kind.TOKEN_CLASSIFICATION ? "token-classification"
                : layout.kind() == HfTaskLayout.Kind.SEQUENCE_CLASSIFICATION ? "text-classification" : "feature-extraction").append('\n');
        b.append("tags:\n- infuse\n- ").append(settings.getOrDefault("task", "task")).append("\n---\n\n");
        b.append("# ").append(settings.getOrDefault("task", "task")).append(" model fine-tuned with infuse\n\n");
        b.append("Base model: `").append(inputs.getOrDefault("base_model", "?")).append("`. Written by infuse ")
                .append(provenance.getOrDefault("infuse_version", "?")).append(" on ").append(provenance.getOrDefault("created", "?"))
                .append(" (git ").append(provenance.getOrDefault("git_commit", "?")).append(").\n\n");
        b.append("## Data\n\n| input | value |\n|---|---|\n");
        inputs.forEach((k, v) -> b.append("| ").append(k).append(" | `").append(v).append("` |\n"));
        b.append("\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\nScores are on the dev file above, at the step kept (`best_step`). `infuse eval --model DIR --test FILE` scores a test file.\n");
        b.append("\n## Labels\n\n");
        List<String> names = labels.names();
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(i).append(": `").append(names.get(i)).append('`');
        }
        b.append("\n\n## Loading\n\n");
        b.append("The head reads the ").append(layout.pooling()).append(".\n\n");
        if (base != null) {
            b.append("This directory holds only the adapter and the head; the encoder is the base model `").append(base)
                    .append("`, unchanged. A LoRA is in PEFT's files (`adapter_config.json`, `adapter_model.safetensors`, the head as"
                            + " `base_model.model.classifier.*`), for `PeftModel.from_pretrained(base, \"DIR\")` on a model of the"
                            + " base with this head; a bottleneck adapter is in AdapterHub's (`adapter_config.json`, `adapter.safetensors`),"
                            + " for `model.load_adapter(\"DIR\")`. `infuse eval|predict --model DIR` loads either onto the base.\n");
            notes.forEach((k, v) -> b.append("\n**").append(k).append(".** ").append(v).append('\n'));
            return b.toString();
        }
        switch (layout.kind()) {
            case TOKEN_CLASSIFICATION, SEQUENCE_CLASSIFICATION -> {
                String auto = "AutoModelFor"
                        + (layout.kind() == HfTaskLayout.Kind.TOKEN_CLASSIFICATION ? "TokenClassification" : "SequenceClassification");
                b.append("```python\nfrom transformers import ").append(auto).append(", AutoTokenizer\nmodel = ").append(auto)
                        .append(".from_pretrained(\"DIR\")\ntokenizer = AutoTokenizer.from_pretrained(\"DIR\")\n```\n\n");
                b.append("`").append(layout.architecture()).append("` computes infuse's logits");
                if (layout.kind() == HfTaskLayout.Kind.TOKEN_CLASSIFICATION) {
                    b.append("; infuse labels a word by its first word piece, so read the logits there.");
                } else {
                    b.append(": the pooler stored here is the identity scaled by 2^-16 and the classifier weight is scaled by 2^16,"
                            + " so the pooled path equals infuse's [CLS] head to 1e-6 relative or better.");
                }
                b.append(" The file also holds the masked-LM head, which transformers reports as unused and skips.\n");
            }
            case ENCODER_ONLY -> b.append("transformers has no task class that pools this way, so `config.json` names `")
                    .append(layout.architecture()).append("` and the head is stored beside the encoder as `classifier.weight` and"
                            + " `classifier.bias` (plus `scalar_mix.*` for the mix): logits = classifier(pooled features)."
                            + " `infuse predict --model DIR` computes them.\n");
        }
        notes.forEach((k, v) -> b.append("\n**").append(k).append(".** ").append(v).append('\n'));
        return b.toString();
    }
}
