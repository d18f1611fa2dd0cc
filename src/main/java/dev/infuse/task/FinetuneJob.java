package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.inject.kbert.KbertOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@code infuse finetune} was asked to do; names in errors are the flags'.
 *
 * @param topLayers with FULL transfer, train only the top K encoder layers (0: all)
 * @param maxSteps optimizer steps; 0 means {@code epochs} passes over the training set
 * @param evalEvery steps between dev evaluations; 0 means once per epoch
 * @param patience stop after this many evaluations without a better dev score
 * @param resume continue the run in {@code outputDir} from its checkpoint
 * @param entityTable a PELT table built by {@code model} whose entity slots go into every input, or null
 * @param headLr the task head's peak learning rate; 0 means {@code lr}
 * @param kg a K-BERT graph that turns every input into a sentence tree, and its settings; or null
 */
public record FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
        int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
        Path outputDir, boolean overwrite, boolean resume, Path entityTable, float entityNorm, float headLr, KbertOptions kg) {
    public FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
            int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
            Path outputDir, boolean overwrite, boolean resume, Path entityTable, float entityNorm, float headLr) {
        this(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, entityTable, entityNorm, headLr, null);
    }

    public FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
            int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
            Path outputDir, boolean overwrite, boolean resume, Path entityTable, float entityNorm) {
        this(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, entityTable, entityNorm, 0f);
    }

    public FinetuneJob {
        if (!(headLr >= 0) || Float.isInfinite(headLr)) {
            throw new InfuseException("--head-lr must be positive and finite, found " + headLr);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(outputDir, "outputDir");
        Tasks.check(task);
        positive("--batch-size", batchSize);
        positive("--epochs", epochs);
        positive("--patience", patience);
        if (maxSeqLength < 3) {
            throw new InfuseException("--max-seq-length must be at least 3, found " + maxSeqLength);
        }
        if (maxSteps < 0 || evalEvery < 0 || topLayers < 0) {
            throw new InfuseException("--max-steps, --eval-every and --train-top-layers must not be negative");
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new InfuseException("--lr must be positive and finite, found " + lr);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new InfuseException("--warmup-ratio must be in [0, 1), found " + warmupRatio);
        }
        if (entityTable != null && !(entityNorm > 0)) {
            throw new InfuseException("--norm must be positive, found " + entityNorm);
        }
        if (entityTable != null && kg != null) {
            throw new InfuseException("--entity-table and --kg cannot be used together yet: a PELT slot inside a sentence tree has no rule");
        }
        if (topLayers > 0 && transfer.frozen()) {
            throw new InfuseException("--train-top-layers needs --transfer full; " + transfer.flag() + " freezes the whole encoder");
        }
    }

    /** The head's peak learning rate. */
    public float headPeakLr() {
        return headLr > 0 ? headLr : lr;
    }

    private static void positive(String flag, int v) {
        if (v < 1) {
            throw new InfuseException(flag + " must be at least 1, found " + v);
        }
    }

    /** The settings for provenance.json. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("transfer", transfer.flag());
        m.put("train-top-layers", topLayers);
        m.put("batch-size", batchSize);
        m.put("batches", "shuffled, grouped by length"); // recorded so a provenance file says how the epochs were cut
        m.put("max-seq-length", maxSeqLength);
        m.put("lr", lr);
        if (headLr > 0) {
            m.put("head-lr", headLr);
        }
        m.put("epochs", epochs);
        m.put("max-steps", maxSteps);
        m.put("eval-every", evalEvery);
        m.put("patience", patience);
        m.put("warmup-ratio", warmupRatio);
        m.put("seed", seed);
        if (entityTable != null) {
            m.put("entity-table", entityTable.toString());
            m.put("norm", entityNorm);
        }
        if (kg != null) {
            m.putAll(kg.settings());
        }
        return m;
    }
}
