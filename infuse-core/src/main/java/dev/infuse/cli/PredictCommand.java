package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.task.PlainText;
import dev.infuse.task.PredictionWriter;
import dev.infuse.task.Predictor;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", description = {"Label a file with a fine-tuned model (from infuse finetune).",
        "NER writes CoNLL (word<TAB>label, a blank line after each sentence; word<TAB>gold<TAB>label when the input has gold),"
                + " the other tasks jsonl (the input's fields, then label and score, the label's probability)."})
final class PredictCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Option(names = "--model", required = true, description = "A directory written by infuse finetune.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "A task file in the model's format, or plain text, one example a line (ner and classify).")
    Path input;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|task|text",
            description = "What --input holds; auto: plain text when the name ends in .txt or .txt.gz, a task file otherwise (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the predictions (default: standard output).")
    Path output;

    @Option(names = "--jsonl", description = "NER as jsonl, a sentence a line (words, labels, scores), instead of CoNLL.")
    boolean jsonl;

    @Option(names = "--logits", description = "Add each prediction's raw logits to the jsonl (ids as in config.json's id2label); NER needs --jsonl.")
    boolean logits;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    KgOptions kg;

    @Override
    public Integer call() {
        boolean text = switch (format.toLowerCase(Locale.ROOT)) {
            case "auto" -> input.getFileName().toString().matches(".*\\.txt(\\.gz)?");
            case "text" -> true;
            case "task" -> false;
            default -> throw new InfuseException("unknown --format \"" + format + "\": expected auto, task or text");
        };
        if (output != null && output.toString().equals("-")) {
            output = null; // standard output
        }
        if (output != null) {
            OutputFiles.requireWritable("--output", output, input, model.resolve(TaskModel.TASK_FILE), model.resolve("model.safetensors"));
        }
        String task = TaskModel.taskOf(model);
        if (logits && task.equals("ner") && !jsonl) {
            throw new InfuseException("--logits with an NER model needs --jsonl: CoNLL has no column for logits");
        }
        PredictionWriter.Options options = new PredictionWriter.Options(!text, jsonl, logits);
        Path source = InputFiles.readable("--input", input);
        TaskSet set = text ? PlainText.read(task, source) : Tasks.read(task, source);
        if (set.size() == 0) {
            throw new InfuseException("--input " + input + " holds no examples");
        }
        try (TaskModel m = TaskModel.load(model, kg.edits())) {
            Predictor.Predictions p = Predictor.run(m, set, batchSize);
            m.knowledgeReport("input").forEach(System.err::println);
            Predictor.truncationWarning(p, task.equals("ner") ? "words" : "examples", m.maxSeqLength(),
                    "they get an empty label" + (jsonl || !task.equals("ner") ? " and are listed under \"truncated\"" : "")).ifPresent(System.err::println);
            if (output == null) {
                PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                PredictionWriter.write(set, p, m.labels(), options, out);
                out.flush();
            } else {
                PredictionWriter.write(output, set, p, m.labels(), options);
                System.err.println("infuse: wrote " + set.size() + " predictions to " + output);
            }
        }
        return 0;
    }
}
