package dev.infuse.task;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ai.djl.ndarray.NDArray;

/**
 * Two-stage fine-tuning ({@code --init-from RUN}): the second stage starts from the first stage's encoder, and from
 * its head too when both stages do the same task with the same labels. The first stage must have started from the
 * same base model, so the tokenizer and the vocabulary agree.
 */
final class InitFrom {
    private InitFrom() {}

    /** RUN's base model as its provenance names it; a run from another base is refused in one line. */
    static void checkBase(Path run, String model) {
        Path p = run.resolve("provenance.json");
        if (!Files.isRegularFile(run.resolve(TaskModel.TASK_FILE)) || !Files.isRegularFile(p)) {
            throw new InfuseException("--init-from " + run + " is not a fine-tuned run (no " + TaskModel.TASK_FILE + " and provenance.json)");
        }
        String base;
        try {
            JsonObject o = JsonParser.parseString(Files.readString(p)).getAsJsonObject();
            base = o.getAsJsonObject("inputs").get("base_model").getAsString();
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("--init-from " + run + ": provenance.json names no base_model");
        }
        if (!base.equals(model) && !sameDirectory(base, model)) {
            throw new InfuseException("--init-from " + run + " was fine-tuned from " + base + ", not from --model " + model);
        }
    }

    private static boolean sameDirectory(String a, String b) {
        try {
            return ModelStore.resolve(a).toRealPath().equals(ModelStore.resolve(b).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Copies RUN's encoder weights into {@code lm} (the MLM head, which a task model lacks, stays the base's). */
    static int encoder(TaskModel from, MaskedLm lm) {
        int copied = 0;
        Map<String, NDArray> source = from.lm().model().parameters();
        for (Map.Entry<String, NDArray> e : lm.model().parameters().entrySet()) {
            NDArray s = source.get(e.getKey());
            if (s != null && s.getShape().equals(e.getValue().getShape())) {
                Tensors.assign(e.getValue(), Checkpoints.toHost(s));
                copied++;
            }
        }
        if (copied == 0) {
            throw new InfuseException("--init-from: the run's encoder shares no weight with --model");
        }
        return copied;
    }

    /** Copies RUN's head when it does {@code task} with the same labels and shapes; says whether it did. */
    static boolean head(TaskModel from, TaskHead head, String task, Labels labels) {
        if (!from.task().equals(task) || !from.labels().equals(labels)) {
            return false;
        }
        Map<String, NDArray> source = from.head().parameters();
        if (!source.keySet().equals(head.parameters().keySet())) {
            return false;
        }
        for (Map.Entry<String, NDArray> e : head.parameters().entrySet()) {
            if (!source.get(e.getKey()).getShape().equals(e.getValue().getShape())) {
                return false;
            }
        }
        head.parameters().forEach((k, v) -> Tensors.assign(v, Checkpoints.toHost(source.get(k))));
        return true;
    }
}
