package dev.infuse.cli;

import dev.infuse.model.ModelStore;
import picocli.CommandLine.Option;

/** {@code --model}, for every command that loads a model (or its tokenizer); the built-in model unless given. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "<model>", defaultValue = ModelStore.BERT_BASE_UNCASED,
            description = "A Hugging Face or TF checkpoint directory, or a built-in name: bert-base-uncased or bert-base-multilingual-cased (default ${DEFAULT-VALUE}).")
    String name;

    /** {@code --model} where there is no sensible default: fine-tuning must say what it starts from. */
    static final class Required {
        @Option(names = "--model", paramLabel = "<model>", required = true, description = "The model to start from: a directory or a built-in name.")
        String name;
    }
}
