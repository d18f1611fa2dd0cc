package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.bench.Agreements;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import dev.infuse.engine.Tensors;
import dev.infuse.train.AdamW;
import dev.infuse.train.BatchSource;
import dev.infuse.train.Freeze;
import dev.infuse.train.LoopSettings;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.Objective;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainListener;
import dev.infuse.train.Trainables;
import dev.infuse.train.Trainer;
import dev.infuse.train.data.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mixed precision against fp32 on a small random BERT, on any x86 CPU: the same weights and inputs, only the
 * matrix products' precision differs. Weights are drawn wider than BERT's 0.02 so attention is not uniform
 * and the products matter.
 */
class Bf16AgreementTest {
    static final BertConfig CONFIG = new BertConfig("bert", 97, 64, 2, 4, 128, "gelu", 0.1f, 0.1f, 64, 2, 1e-12f, 0, 0.1f);

    static long[][] ids(int b, int t, long seed) {
        Random rng = new Random(seed);
        long[][] ids = new long[b][t];
        for (long[] row : ids) {
            for (int j = 0; j < t; j++) {
                row[j] = 5 + rng.nextInt(CONFIG.vocabSize() - 5);
            }
        }
        return ids;
    }

    static float[] hidden(BertModel model, BertInput in) {
        try (NDManager m = Engines.newManager()) {
            return model.forward(m, in, false).lastHidden().toFloatArray();
        }
    }

    @Test
    void everyTokensHiddenStateHasCosineAtLeast0999ToFp32() {
        Tensors.noGrad();
        BertInput in = BertInput.builder().setInputIds(ids(4, 24, 1)).optPaddingMask(padded(4, 24)).build();
        try (BertModel model = BertModel.random(CONFIG, 3)) {
            model.setPrecision(Precision.FP32);
            float[] ref = hidden(model, in);
            model.setPrecision(Precision.BF16);
            float[] low = hidden(model, in);
            int h = CONFIG.hiddenSize();
            double min = 1;
            double maxDiff = 0;
            for (int tok = 0; tok < ref.length / h; tok++) {
                min = Math.min(min, Agreements.cosine(low, ref, tok * h, h));
            }
            for (int i = 0; i < ref.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(low[i] - ref[i]));
            }
            assertTrue(min >= 0.999, "lowest token cosine " + min);
            assertTrue(maxDiff > 1e-4, "bf16 gave fp32's numbers (max difference " + maxDiff + "): its products did not run in bf16");
        }
    }

    /** Rows end in 0, 3, 6, ... padding positions, so the additive mask takes part. */
    static int[][] padded(int b, int t) {
        int[][] mask = new int[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                mask[i][j] = j < t - 3 * i ? 1 : 0;
            }
        }
        return mask;
    }

    @Test
    void trainingStepsLossesStayWithinOnePercentOfFp32() {
        List<Double> fp32 = losses(Precision.FP32);
        List<Double> bf16 = losses(Precision.BF16);
        assertEquals(fp32.size(), bf16.size());
        for (int i = 0; i < fp32.size(); i++) {
            double rel = Math.abs(bf16.get(i) - fp32.get(i)) / fp32.get(i);
            assertTrue(rel < 0.01, "step " + (i + 1) + ": bf16 loss " + bf16.get(i) + ", fp32 " + fp32.get(i));
        }
        assertTrue(fp32.get(fp32.size() - 1) < fp32.get(0), "the loop must learn, or equal losses prove little: " + fp32);
        assertTrue(bf16.get(bf16.size() - 1) < bf16.get(0), "bf16 losses " + bf16);
    }

    /** Six steps of the real loop (dropout, MLM loss, backward, clipping, AdamW) from the same weights and seed. */
    static List<Double> losses(Precision p) {
        BertInput in = BertInput.builder().setInputIds(ids(4, 32, 2)).build();
        Random rng = new Random(4);
        int n = 20;
        long[] positions = new long[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            positions[i] = rng.nextInt(4 * 32);
            labels[i] = 5 + rng.nextInt(CONFIG.vocabSize() - 5);
        }
        MlmBatch batch = new MlmBatch(in, positions, labels, 4 * 32);
        List<Double> out = new ArrayList<>();
        TrainListener record = new TrainListener() {
            @Override
            public void onStep(StepReport r) {
                out.add(r.loss());
            }
        };
        try (BertModel model = BertModel.random(CONFIG, 9)) {
            model.setPrecision(p);
            LoopSettings loop = new LoopSettings(6, 1e-3f, 0, LrSchedule.Kind.CONSTANT, 1f, 1, 0.01f, 42);
            Trainables params = new Trainables().encoder(model, Freeze.none().trainable(CONFIG)::contains);
            try (AdamW adam = new AdamW(loop.optimizer())) {
                new Trainer<>(params, Objective.mlm().on(model), fixed(batch), loop, adam, List.of(record)).run(0);
            }
        }
        return out;
    }

    static BatchSource<MlmBatch> fixed(MlmBatch batch) {
        return new BatchSource<>() {
            long served;

            @Override
            public MlmBatch next() {
                served++;
                return batch;
            }

            @Override
            public Cursor cursor() {
                return new Cursor(0, served, 0, 0);
            }

            @Override
            public void seek(Cursor c) {
                served = c.index();
            }
        };
    }
}
