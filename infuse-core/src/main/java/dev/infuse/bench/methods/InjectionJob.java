package dev.infuse.bench.methods;

import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.TrainSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What one injection run gets: the base model and domain, the budget already turned into settings, and
 * where to work.
 *
 * @param pretraining the training settings every pretraining method shares
 * @param contrastiveWeight ZEO inject 2's triplet weight
 * @param vectorLength ZEO description tokens per knowledge vector
 * @param entities the entity ids PELT builds rows for
 * @param vectors ZEO's knowledge vectors, shared by every ZEO variant of a comparison
 * @param tasks the comparison's task files ({@code typing/train.jsonl}, ...): NMG's policy learns from a task's dev score
 */
public record InjectionJob(String base, Path domain, TrainSettings pretraining, float contrastiveWeight, int vectorLength,
        Set<String> entities, Path dir, Path vectors, Path tasks, PrintStream log) {

    /** The same job for another directory and base model: a part of a combination. */
    InjectionJob in(Path partDir, String partBase) {
        return new InjectionJob(partBase, domain, pretraining, contrastiveWeight, vectorLength, entities, partDir, vectors, tasks, log);
    }

    /** Whether a training run in {@code dir} was killed after a checkpoint, and so continues from it. */
    static boolean hasCheckpoint(Path dir) {
        return Files.isDirectory(dir) && TrainCheckpoint.find(dir) != null;
    }
}
