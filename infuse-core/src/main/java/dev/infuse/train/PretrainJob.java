package dev.infuse.train;

import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PassageSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code infuse pretrain} was asked to do.
 *
 * @param model a {@code --model} reference (directory or built-in name)
 * @param masking a {@code --masking} value, see {@link dev.infuse.mask.Maskings#parse}
 * @param resume continue from {@code outputDir/checkpoint}
 * @param overwrite replace a run already in {@code outputDir}
 * @param objective the loss; {@link Objective.Spec#MLM} for plain masked-LM pretraining
 * @param hooks modules added inside the encoder's layers (adapters); they train beside the unfrozen encoder. The
 *     objective's own ({@link Objective.Spec#hooks}) are added after them
 * @param modelMasking a masking that reads the model before it chooses (a learned policy), or null; it replaces
 *     {@code masking}, which then only names it
 * @param newTokenLrScale the learning rate of a vocabulary extension's new rows (word embeddings, so also the tied MLM
 *     decoder, and MLM bias) as a multiple of the run's; null leaves them to the freezing like every other row
 */
public record PretrainJob(String model, PassageSource corpus, String masking, InstanceStream.Packing packing, TrainSettings settings,
        Path outputDir, boolean resume, boolean overwrite, Objective.Spec objective, List<HookSpec> hooks, ModelMasking.Spec modelMasking,
        Float newTokenLrScale) {
    public PretrainJob(String model, PassageSource corpus, String masking, InstanceStream.Packing packing, TrainSettings settings,
            Path outputDir, boolean resume, boolean overwrite, Objective.Spec objective, List<HookSpec> hooks) {
        this(model, corpus, masking, packing, settings, outputDir, resume, overwrite, objective, hooks, null, null);
    }

    /** The same job with its tokens chosen by {@code spec} after a look at the model. */
    public PretrainJob withModelMasking(ModelMasking.Spec spec) {
        return new PretrainJob(model, corpus, masking, packing, settings, outputDir, resume, overwrite, objective, hooks, spec, newTokenLrScale);
    }

    /** The same job with a vocabulary extension's new rows at {@code scale} times the learning rate. */
    public PretrainJob withNewTokenLrScale(float scale) {
        return new PretrainJob(model, corpus, masking, packing, settings, outputDir, resume, overwrite, objective, hooks, modelMasking, scale);
    }
    public PretrainJob(String model, PassageSource corpus, String masking, InstanceStream.Packing packing, TrainSettings settings,
            Path outputDir, boolean resume, boolean overwrite, Objective.Spec objective) {
        this(model, corpus, masking, packing, settings, outputDir, resume, overwrite, objective, List.of());
    }

    public PretrainJob(String model, PassageSource corpus, String masking, InstanceStream.Packing packing, TrainSettings settings,
            Path outputDir, boolean resume, boolean overwrite) {
        this(model, corpus, masking, packing, settings, outputDir, resume, overwrite, Objective.Spec.MLM);
    }

    public PretrainJob {
        Objects.requireNonNull(objective, "objective");
        List<HookSpec> all = new java.util.ArrayList<>(hooks);
        objective.hooks().stream().filter(h -> !all.contains(h)).forEach(all::add); // the objective's modules train with the run
        hooks = List.copyOf(all);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(masking, "masking");
        Objects.requireNonNull(packing, "packing");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(outputDir, "outputDir");
        if (newTokenLrScale != null && (!(newTokenLrScale > 0) || Float.isInfinite(newTokenLrScale))) {
            throw new dev.infuse.InfuseException("--new-token-lr-scale must be positive and finite, found " + newTokenLrScale);
        }
        if (resume && overwrite) {
            throw new dev.infuse.InfuseException("--resume and --overwrite exclude each other");
        }
    }
}
