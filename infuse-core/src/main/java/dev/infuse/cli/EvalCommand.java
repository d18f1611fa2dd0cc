package dev.infuse.cli;

import dev.infuse.task.PredictionWriter;
import dev.infuse.task.Predictor;
import dev.infuse.task.Scores;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.ner.DictionaryBaseline;
import dev.infuse.task.ner.NerSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Score a fine-tuned model (from infuse finetune), or the NER dictionary baseline, on a test file.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", description = "A directory written by infuse finetune.")
        Path model;

        @Option(names = "--dictionary", paramLabel = "TRAIN",
                description = "No model: the NER dictionary baseline, tagging every match of TRAIN's entity names with their training type.")
        Path dictionary;
    }

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "Test data in the task's format.")
    Path test;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write what was scored: CoNLL word<TAB>gold<TAB>predicted for NER, jsonl with gold, label and score otherwise.")
    Path predictions;

    @Mixin
    KgOptions kg;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (predictions != null) {
            if (source.dictionary != null) {
                throw new dev.infuse.InfuseException("--predictions needs --model: the dictionary baseline writes no predictions");
            }
            OutputFiles.requireWritable("--predictions", predictions, test, source.model == null ? null : source.model.resolve(TaskModel.TASK_FILE));
        }
        if (source.dictionary != null) {
            if (kg.graph != null) {
                throw new dev.infuse.InfuseException("--kg needs --model: the dictionary baseline reads no graph");
            }
            DictionaryBaseline d = DictionaryBaseline.train(NerSet.read(InputFiles.readable("--dictionary", source.dictionary)).sentences());
            NerSet gold = NerSet.read(InputFiles.readable("--test", test));
            if (gold.size() == 0) {
                throw new dev.infuse.InfuseException("--test " + test + " holds no examples; there is nothing to score");
            }
            report("dictionary:" + source.dictionary, "ner", d.score(gold));
            return 0;
        }
        String task = TaskModel.taskOf(source.model);
        TaskSet set = Tasks.read(task, InputFiles.readable("--test", test));
        if (set.size() == 0) {
            throw new dev.infuse.InfuseException("--test " + test + " holds no examples; there is nothing to score");
        }
        try (TaskModel m = TaskModel.load(source.model, kg.edits())) {
            Predictor.Predictions p = Predictor.run(m, set, batchSize);
            Predictor.truncationWarning(p, task.equals("ner") ? "words" : "examples", m.maxSeqLength(),
                    task.equals("ner") ? "they are scored as O, so their gold entities count as missed" : "they count as errors")
                    .ifPresent(System.err::println);
            Scores s = Predictor.evaluate(m, set, p, System.err);
            if (predictions != null) {
                PredictionWriter.write(predictions, set, p, m.labels(), PredictionWriter.Options.scored());
                System.err.println("infuse: wrote " + set.size() + " predictions to " + predictions);
            }
            m.knowledgeReport("test").forEach(System.err::println);
            report(source.model.toString(), m.task(), s);
        }
        return 0;
    }

    private void report(String model, String task, Scores s) {
        if (json.requested) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("task", task);
            o.put("test", test.toString());
            o.put(s.primaryName(), s.primary());
            o.put("scores", s.all());
            Json.print(o);
        } else {
            System.out.printf("%s %s on %s: %s %.4f%n", model, task, test, s.primaryName(), s.primary());
            s.all().forEach((k, v) -> {
                if (v instanceof Number) {
                    System.out.printf("  %-10s %s%n", k, v);
                }
            });
        }
    }
}
