package dev.infuse.cli;

import dev.infuse.task.Predictor;
import dev.infuse.task.Scores;
import dev.infuse.task.TaskModel;
import dev.infuse.task.Tasks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Score a fine-tuned model (from infuse finetune) on a test file of its task.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Option(names = "--model", required = true, description = "A directory written by infuse finetune.")
    Path model;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "Test data in the task's format.")
    Path test;

    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        try (TaskModel m = TaskModel.load(model)) {
            Scores s = Predictor.evaluate(m, Tasks.read(m.task(), test), batchSize, System.err);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", model.toString());
                o.put("task", m.task());
                o.put("test", test.toString());
                o.put(s.primaryName(), s.primary());
                o.put("scores", s.all());
                Json.print(o);
            } else {
                System.out.printf("%s on %s: %s %.4f%n", m.task(), test, s.primaryName(), s.primary());
                s.all().forEach((k, v) -> {
                    if (v instanceof Number) {
                        System.out.printf("  %-10s %s%n", k, v);
                    }
                });
            }
        }
        return 0;
    }
}
