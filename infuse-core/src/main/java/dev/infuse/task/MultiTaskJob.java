package dev.infuse.task;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@code infuse multitask} was asked to do: one encoder, one head per task.
 *
 * @param parts the tasks, each with its training and dev data; at most one per task kind
 * @param tau batches are drawn from task k with probability ∝ size_k^tau (1: by size, 0: uniform)
 * @param topLayers train only the top K encoder layers (0: all)
 * @param evalEvery steps between dev evaluations of every task; early stopping ranks by their mean
 */
public record MultiTaskJob(String model, List<Part> parts, float tau, int topLayers, int batchSize, int maxSeqLength, float lr, float headLr,
        int maxSteps, int evalEvery, int patience, float warmupRatio, long seed, Path outputDir, boolean overwrite, boolean resume) {
    /** One task: {@code --task ner=TRAIN,DEV}. */
    public record Part(String task, Path train, Path dev) {
        public Part {
            Tasks.check(task);
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(dev, "dev");
        }

        /** {@code KIND=TRAIN,DEV}, as the command line gives it. */
        public static Part parse(String value) {
            int eq = value.indexOf('=');
            String[] files = eq < 0 ? new String[0] : value.substring(eq + 1).split(",", -1);
            if (eq <= 0 || files.length != 2 || files[0].isBlank() || files[1].isBlank()) {
                throw new InfuseException("--task " + value + ": expected KIND=TRAIN,DEV, for example ner=train.conll,dev.conll");
            }
            return new Part(value.substring(0, eq).strip(), Path.of(files[0].strip()), Path.of(files[1].strip()));
        }
    }

    public MultiTaskJob {
        parts = List.copyOf(parts);
        if (parts.size() < 2) {
            throw new InfuseException("multitask needs at least two --task KIND=TRAIN,DEV, found " + parts.size());
        }
        Set<String> kinds = new HashSet<>();
        for (Part p : parts) {
            if (!kinds.add(p.task())) {
                throw new InfuseException("--task " + p.task() + " is given twice; one head per task kind");
            }
        }
        if (!(tau >= 0) || Float.isInfinite(tau)) {
            throw new InfuseException("--tau must be 0 (uniform) or positive, found " + tau);
        }
        if (maxSteps < 1 || evalEvery < 1 || batchSize < 1 || patience < 1) {
            throw new InfuseException("--max-steps, --eval-every, --batch-size and --patience must be at least 1");
        }
        if (!(lr > 0) || !(headLr > 0) || Float.isInfinite(lr) || Float.isInfinite(headLr)) {
            throw new InfuseException("--lr and --head-lr must be positive and finite, found " + lr + " and " + headLr);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new InfuseException("--warmup-ratio must be in [0, 1), found " + warmupRatio);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outputDir, "outputDir");
        if (resume && overwrite) {
            throw new InfuseException("--resume and --overwrite exclude each other");
        }
    }

    /** The settings for provenance and the run's identity. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", String.join("+", parts.stream().map(Part::task).toList()));
        m.put("tau", tau);
        m.put("train-top-layers", topLayers);
        m.put("batch-size", batchSize);
        m.put("max-seq-length", maxSeqLength);
        m.put("lr", lr);
        m.put("head-lr", headLr);
        m.put("max-steps", maxSteps);
        m.put("eval-every", evalEvery);
        m.put("patience", patience);
        m.put("warmup-ratio", warmupRatio);
        m.put("seed", seed);
        return m;
    }
}
