package dev.infuse.inject;

import dev.infuse.model.io.HostTensor;
import java.util.Map;

/**
 * What a plug-in may need when it writes itself beside a task model.
 *
 * @param baseModel the model the run started from, as the user named it (PEFT's base_model_name_or_path)
 * @param task the task name ("ner", "classify", ...), or null for a pretraining run
 * @param head the task head's tensors under transformers' names ({@code classifier.weight}), empty without a head
 */
public record SaveContext(String baseModel, String task, Map<String, HostTensor> head) {
    public SaveContext {
        head = Map.copyOf(head);
    }
}
