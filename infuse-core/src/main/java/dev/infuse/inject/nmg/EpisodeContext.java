package dev.infuse.inject.nmg;

import dev.infuse.mask.Masker;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.io.HostTensor;
import dev.infuse.task.Labels;
import dev.infuse.task.TaskSet;
import dev.infuse.text.Tokenizer;
import java.util.List;
import java.util.Map;

/**
 * What every episode reads and none changes: the base model's weights (each agent trains a fresh copy), the
 * corpus as texts, the task's splits and label map.
 */
record EpisodeContext(BertConfig config, Map<String, HostTensor> baseWeights, Tokenizer tokenizer, List<TokenInstance> corpus,
        String task, TaskSet train, TaskSet dev, Labels labels, PolicyConfig policy, NmgSettings settings) {
    /** The task examples' token limit: the model's positions, at most 128 (the comparison's). */
    int taskLength() {
        return Math.min(128, config.maxSequenceLength());
    }

    Masker masker() {
        return Masker.replacing(tokenizer.maskId(), config.vocabSize(), tokenizer::isSpecial);
    }
}
