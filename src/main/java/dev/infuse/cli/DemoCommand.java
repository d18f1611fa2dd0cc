package dev.infuse.cli;

import dev.infuse.model.FillMask;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ModelStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", description = "The main job on the built-in default: bert-base-uncased fills masks.")
final class DemoCommand implements Callable<Integer> {
    static final List<String> SENTENCES = List.of(
            "The capital of France is [MASK].",
            "Erlang is a functional programming [MASK].",
            "The CPU fetches instructions from [MASK] and executes them.",
            "TCP is a transport [MASK] used on the internet.");

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        System.err.println("infuse demo: " + ModelStore.BERT_BASE_UNCASED + " fills masks (top 5 with logits)");
        try (MaskedLm lm = MaskedLm.load(ModelStore.BERT_BASE_UNCASED)) {
            FillMaskCommand.print(FillMask.predict(lm, SENTENCES, 5));
        }
        return 0;
    }
}
