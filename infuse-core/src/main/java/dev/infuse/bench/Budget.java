package dev.infuse.bench;

import dev.infuse.InfuseException;
import dev.infuse.task.Transfer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one compute budget every method gets in a comparison. The defaults are sized so that the FOLDOC
 * comparison of six methods finishes in about an hour on a 2-core CPU: continued pretraining of the top
 * layers for a few hundred thousand tokens, and linear probes on frozen features, which cost one forward
 * pass per example and make extra seeds nearly free.
 *
 * @param pretrainSteps optimizer steps of every pretraining method (batch {@code pretrainBatch}, length {@code pretrainLength})
 * @param pretrainTopLayers encoder layers (from the top) that pretraining updates; the MLM head always trains
 * @param probeSample keep one probe in N (by entity hash)
 * @param trainExamples, devExamples, testExamples examples kept per task split (0: all), the same for every method
 * @param transfer how tasks read the encoder; a frozen mode trains linear probes on cached features
 * @param maxSeqLength task example length, specials included
 * @param peltRareOnly build PELT rows only for entities the task files mark {@code rare}
 * @param vectorLength ZEO description tokens per knowledge vector
 * @param adapterSteps 0: typing and NER train linear probes on frozen features; more: each cell fine-tunes a LoRA
 *     (r 8 on query and value) and its head for this many steps on the frozen encoder ({@code --transfer adapter})
 */
public record Budget(int pretrainSteps, int pretrainBatch, int pretrainLength, int pretrainTopLayers, float pretrainLr, int probeSample,
        int trainExamples, int devExamples, int testExamples, Transfer transfer, int maxSeqLength, boolean peltRareOnly,
        float peltNorm, int vectorLength, float contrastiveWeight, int adapterSteps) {
    /** A budget whose tasks train linear probes. */
    public Budget(int pretrainSteps, int pretrainBatch, int pretrainLength, int pretrainTopLayers, float pretrainLr, int probeSample,
            int trainExamples, int devExamples, int testExamples, Transfer transfer, int maxSeqLength, boolean peltRareOnly,
            float peltNorm, int vectorLength, float contrastiveWeight) {
        this(pretrainSteps, pretrainBatch, pretrainLength, pretrainTopLayers, pretrainLr, probeSample, trainExamples, devExamples, testExamples,
                transfer, maxSeqLength, peltRareOnly, peltNorm, vectorLength, contrastiveWeight, 0);
    }

    public Budget {
        if (adapterSteps < 0) {
            throw new InfuseException("--adapter-steps must not be negative, found " + adapterSteps);
        }
        if (pretrainSteps < 1 || pretrainBatch < 1 || pretrainLength < 8 || pretrainTopLayers < 0 || probeSample < 1) {
            throw new InfuseException("--pretrain-steps, --pretrain-batch and --probe-sample must be at least 1 and --pretrain-length at least 8");
        }
        if (trainExamples < 0 || devExamples < 0 || testExamples < 0 || maxSeqLength < 8 || vectorLength < 8) {
            throw new InfuseException("example counts must not be negative; --max-seq-length and --vector-length must be at least 8");
        }
        if (!transfer.frozen()) {
            throw new InfuseException("--transfer " + transfer.flag() + ": infuse bench trains linear probes on a frozen encoder "
                    + "(embeddings, top or mix); fine-tune one model with infuse finetune");
        }
    }

    /** The budget as report lines. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pretraining (token-mask, wwm, span, entity-mask, nmg, sensebert, wklm, libert, ernie, zeo)", pretrainSteps + " steps x batch " + pretrainBatch + " x " + pretrainLength
                + " tokens, top " + pretrainTopLayers + " layers + MLM head, lr " + pretrainLr + ", linear decay after 10% warm-up");
        m.put("vocab", "the bundle's entity words that split, then its corpus's most fragmented (pieces x count, at least "
                + dev.infuse.bench.methods.VocabInjection.MIN_COUNT + " occurrences), at most " + dev.infuse.bench.methods.VocabInjection.MAX_NEW
                + " new words, each row the mean of its pieces; then token-mask's pretraining (entity-mask's in vocab+entity-mask) with the new rows at "
                + dev.infuse.bench.methods.VocabInjection.NEW_TOKEN_LR_SCALE + " x lr");
        m.put("zeo", "knowledge vectors from the base model (mean of the last layer over the first " + vectorLength
                + " description tokens), 1 negative of another type per mention, contrastive weight " + contrastiveWeight
                + " for inject 2; the variants share the vectors, and the first ZEO method's inject time includes building them");
        m.put("pelt", (peltRareOnly ? "rows for the rare entities the task files name" : "rows for every entity the task files name")
                + ", at most 256 masked mentions each, norm " + peltNorm);
        m.put("kbert", "the bundle's triples as a K-BERT graph: at most 2 branches per linked subject (drawn with the first seed), "
                + "soft positions and visible matrix in the typing and NER inputs; probes read the base model without it");
        m.put("ernie", "TransE vectors of the bundle's triples (dimension 100, 1,000 steps of 512 with 128 negatives, lr 1e-3), "
                + "fused into the top 6 layers; MLM with token masking plus dEA at the pretraining budget, the fusion layers training too");
        m.put("probe", "one probe in " + probeSample + " (by entity hash)");
        String examples = "examples cut to " + maxSeqLength + " tokens; train " + count(trainExamples) + ", dev " + count(devExamples) + ", test "
                + count(testExamples) + " examples; ";
        m.put("typing, ner", adapterSteps > 0
                ? "a LoRA (r 8, alpha 8, query and value) and the head fine-tuned on the frozen encoder per seed, " + examples + "AdamW lr 1e-3, "
                        + "batch 16, " + adapterSteps + " steps, dev scored every " + Math.max(1, adapterSteps / 4) + " steps, best kept"
                : "linear probe on the frozen encoder (" + transfer.flag() + " transfer), " + examples
                        + "AdamW lr 1e-3, batch 32, up to 30 epochs, best dev epoch kept (patience 4)");
        return m;
    }

    private static String count(int n) {
        return n == 0 ? "all" : "at most " + n;
    }
}
