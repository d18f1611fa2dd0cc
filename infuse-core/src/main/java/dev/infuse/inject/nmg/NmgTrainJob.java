package dev.infuse.inject.nmg;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@code infuse nmg train} was asked to do.
 *
 * @param model a {@code --model} reference
 * @param domain the bundle whose corpus the agents further pretrain on
 * @param task the task kind ({@code typing}, {@code ner}, ...) of the two files
 * @param taskTrain the task's training file, for the probe; {@code taskDev} its dev file, the score
 */
public record NmgTrainJob(String model, Path domain, String task, Path taskTrain, Path taskDev, NmgSettings settings, Path outputDir,
        boolean resume, boolean overwrite) {
    public NmgTrainJob {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(taskTrain, "taskTrain");
        Objects.requireNonNull(taskDev, "taskDev");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(outputDir, "outputDir");
        if (resume && overwrite) {
            throw new dev.infuse.InfuseException("--resume and --overwrite exclude each other");
        }
    }
}
