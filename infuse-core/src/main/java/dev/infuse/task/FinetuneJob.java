package dev.infuse.task;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param headLr the task head's peak learning rate; 0 means {@code lr}
 * @param knowledge the knowledge plug-ins every input and the encoder get (PELT's table, K-BERT's graph, an
 *     adapter), in any order: their stack orders them
 * @param trainBackbone train the encoder even though a plug-in's modules would train alone (an adapter)
 * @param schedule layer-wise rates, gradual unfreezing, a first stage to start from, checkpoint averaging
 */
public record FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
        int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
        Path outputDir, boolean overwrite, boolean resume, float headLr, List<KnowledgeSpec> knowledge, boolean trainBackbone,
        TransferSchedule schedule) {
    /** A job with the plain schedule. */
    public FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
            int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
            Path outputDir, boolean overwrite, boolean resume, float headLr, List<KnowledgeSpec> knowledge, boolean trainBackbone) {
        this(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, headLr, knowledge, trainBackbone, TransferSchedule.NONE);
    }

    /** The same job with {@code s} as its schedule. */
    public FinetuneJob withSchedule(TransferSchedule s) {
        return new FinetuneJob(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, headLr, knowledge, trainBackbone, s);
    }

    /** A job whose adapters, if any, train alone. */
    public FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
            int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
            Path outputDir, boolean overwrite, boolean resume, float headLr, List<KnowledgeSpec> knowledge) {
        this(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, headLr, knowledge, false);
    }

    /** A job with no knowledge plug-in and the head at {@code lr}. */
    public FinetuneJob(String model, String task, Path train, Path dev, Transfer transfer, int topLayers, int batchSize,
            int maxSeqLength, float lr, int epochs, int maxSteps, int evalEvery, int patience, float warmupRatio, long seed,
            Path outputDir, boolean overwrite, boolean resume) {
        this(model, task, train, dev, transfer, topLayers, batchSize, maxSeqLength, lr, epochs, maxSteps, evalEvery, patience,
                warmupRatio, seed, outputDir, overwrite, resume, 0f, List.of());
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
        knowledge = List.copyOf(knowledge);
        schedule = schedule == null ? TransferSchedule.NONE : schedule;
        if (transfer.frozen() && (schedule.layerLrDecay() != 1f || schedule.unfreezes())) {
            throw new InfuseException("--layer-lr-decay and --unfreeze-every need --transfer full; " + transfer.flag() + " freezes the whole encoder");
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
        if (!knowledge.isEmpty()) {
            m.put("knowledge", String.join("+", knowledge.stream().map(KnowledgeSpec::name).toList()));
        }
        if (trainBackbone) {
            m.put("train-backbone", true);
        }
        m.putAll(schedule.settings());
        return m;
    }
}
