package dev.infuse.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Bf16Kernels;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Measures, in one process, the machine's own matmul peak and BERT-base's forward and training
 * throughput, at the process's precision, so that the ratios compare numbers taken under the same
 * conditions. Under bf16 it also compares the forward pass with fp32's (agreement and speed, in turn).
 *
 * <p>The model is BERT-base with seeded random weights: the arithmetic is the same as the real checkpoint's.
 */
public final class EngineBench {
    /** Flat so scripts can read it; the keys are part of the CLI's contract. */
    public record Result(int threads, Precision precision, double matmulPeakGflops, double forwardB8T128TokensPerS, double forwardB8T128Gflops,
            double forwardB64T64TokensPerS, double forwardB64T64Gflops, double trainB8T128TokensPerS,
            double trainB8T128SecondsPerStep, Train train, double peakRssMb, Agreement agreement) {
        /** Prints the JSON object's fields, in the order the CLI prints them. */
        public Map<String, Object> fields() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("threads", threads);
            o.put("precision", precision.label());
            o.put("matmul_peak_gflops", round(matmulPeakGflops));
            o.put("forward_b8_t128_tokens_per_s", round(forwardB8T128TokensPerS));
            o.put("forward_b8_t128_gflops", round(forwardB8T128Gflops));
            o.put("forward_b8_t128_of_peak", round(forwardB8T128OfPeak()));
            o.put("forward_b64_t64_tokens_per_s", round(forwardB64T64TokensPerS));
            o.put("forward_b64_t64_gflops", round(forwardB64T64Gflops));
            o.put("forward_b64_t64_of_peak", round(forwardB64T64OfPeak()));
            o.put("train_b8_t128_tokens_per_s", round(trainB8T128TokensPerS));
            o.put("train_b8_t128_seconds_per_step", round(trainB8T128SecondsPerStep));
            o.put("train_b8_t128_steps_timed", train.steps());
            o.put("train_b8_t128_min_s", round(train.min()));
            o.put("train_b8_t128_max_s", round(train.max()));
            o.put("train_b8_t128_forward_s", round(train.forward()));
            o.put("train_b8_t128_backward_s", round(train.backward()));
            o.put("train_b8_t128_update_s", round(train.update()));
            o.put("train_b8_t128_peak_rss_mb", round(train.peakRssMb()));
            o.put("peak_rss_mb", round(peakRssMb));
            if (agreement != null) {
                o.put("agreement_with_fp32_cosine", agreement.cosine());
                o.put("agreement_with_fp32_min_token_cosine", agreement.minTokenCosine());
                o.put("forward_b8_t128_speedup_over_fp32_in_turn", round(agreement.forwardSpeedup()));
            }
            return o;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }


        public double forwardB8T128OfPeak() {
            return forwardB8T128Gflops / matmulPeakGflops;
        }

        public double forwardB64T64OfPeak() {
            return forwardB64T64Gflops / matmulPeakGflops;
        }
    }

    /**
     * How close the bf16 forward pass is to fp32 on the B=8, T=128 input: the cosine of the whole last hidden
     * state and the lowest cosine of any one token's vector; and how much faster it is (fp32's median time
     * over bf16's, the two timed in turn).
     */
    public record Agreement(double cosine, double minTokenCosine, double forwardSpeedup) {}

    private EngineBench() {}

    public static Result run(int repeats, Consumer<String> log) {
        return run(repeats, null, log);
    }

    /**
     * @param trace where to write PyTorch's profile of the timed training steps, or null. The training
     *     step runs first, right after the matmul peak, with the memory peak reset before it, so its peak
     *     RSS is the training's own and not the forward benchmarks' (glibc keeps freed memory).
     */
    public static Result run(int repeats, java.nio.file.Path trace, Consumer<String> log) {
        Engines.get();
        Tensors.noGrad();
        Precision precision = Engines.precision();
        double peak = matmulPeak(log, precision);
        BertConfig c = BertConfig.bertBase(30522);
        try (BertModel model = BertModel.random(c, 1)) {
            log.accept("training step B=8 T=128 ...");
            // The random weights were drawn into Java arrays that are garbage now; a checkpoint is read through
            // memory-mapped files instead, so the heap they grew is not part of what a training step needs.
            // The matmul benchmark's matrices are freed too; the trainer hands them back before its first
            // step, as the anchor's torch side does (malloc_trim) before it resets its peak.
            System.gc();
            Train train = train(model, 8, 128, Math.max(5, repeats), trace, log);
            Tensors.noGrad();
            log.accept("forward B=8 T=128 ...");
            double f8 = forwardSeconds(model, 8, 128, repeats);
            log.accept("forward B=64 T=64 ...");
            double f64 = forwardSeconds(model, 64, 64, Math.max(2, repeats / 2));
            Agreement agreement = precision == Precision.FP32 ? null : agreement(model, 8, 128, repeats, log);
            return new Result(Engines.threads(), precision, peak, 8 * 128 / f8, forwardFlops(c, 8, 128) / f8 / 1e9, 64 * 64 / f64,
                    forwardFlops(c, 64, 64) / f64 / 1e9, 8 * 128 / train.median(), train.median(), train, Memory.peakRssMb(), agreement);
        }
    }

    /** Matrix products per token: 2 x (4 H^2 + 2 H I) per layer, plus attention's 4 T H (scores and mixing). */
    public static double forwardFlops(BertConfig c, int batch, int length) {
        double h = c.hiddenSize();
        double perTokenPerLayer = 2 * (4 * h * h + 2 * h * c.intermediateSize()) + 4.0 * length * h;
        return perTokenPerLayer * c.numHiddenLayers() * batch * length;
    }

    /**
     * The bf16 model's last hidden state against the same model's in fp32, on the same input, and the two
     * forward passes timed in turn (bf16, fp32, bf16, ...), so that both see the same load on a shared machine.
     */
    static Agreement agreement(BertModel model, int batch, int length, int repeats, Consumer<String> log) {
        log.accept("agreement with fp32, and fp32 and bf16 forward passes in turn ...");
        BertInput in = BertInput.builder().setInputIds(randomIds(batch, length, model.config().vocabSize())).build();
        Precision was = model.precision();
        double[][] secs = new double[2][repeats]; // [bf16, fp32][repeat]
        float[][] out = new float[2][];
        try {
            for (int r = -1; r < repeats; r++) {
                for (int k = 0; k < 2; k++) {
                    model.setPrecision(k == 0 ? was : Precision.FP32);
                    try (NDManager m = Engines.newManager()) {
                        long t0 = System.nanoTime();
                        out[k] = model.forward(m, in, false).lastHidden().toFloatArray(); // (B*T*H)
                        if (r >= 0) {
                            secs[k][r] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                }
            }
        } finally {
            model.setPrecision(was);
        }
        int h = model.config().hiddenSize();
        double min = 1;
        for (int tok = 0; tok < batch * length; tok++) {
            min = Math.min(min, Agreements.cosine(out[0], out[1], tok * h, h));
        }
        return new Agreement(Agreements.round6(Agreements.cosine(out[0], out[1], 0, out[0].length)), Agreements.round6(min),
                median(secs[1]) / median(secs[0]));
    }

    /**
     * The best of several timed products at the run's precision (bf16 through the same kernels the model
     * uses, casts included), over a square and a BERT-shaped case.
     */
    static double matmulPeak(Consumer<String> log, Precision precision) {
        log.accept(precision.label() + " matmul peak ...");
        double best = 0;
        try (NDManager m = Engines.newManager()) {
            long[][] shapes = {{1024, 1024, 1024}, {1024, 768, 3072}, {2048, 2048, 2048}};
            for (long[] s : shapes) {
                NDArray a = m.randomUniform(-1, 1, new Shape(s[0], s[1]));
                NDArray b = m.randomUniform(-1, 1, new Shape(s[1], s[2]));
                double flops = 2.0 * s[0] * s[1] * s[2];
                int reps = (int) Math.max(3, 2e10 / flops);
                for (int trial = 0; trial < 4; trial++) {
                    dev.infuse.io.StopSignal.check(() -> "in the matmul benchmark; bench engine reports only when it ends, so nothing was written");
                    long t0 = System.nanoTime();
                    for (int r = 0; r < reps; r++) {
                        (precision == Precision.BF16 ? Bf16Kernels.get().matmul(a, b) : a.matMul(b)).close();
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    best = Math.max(best, flops * reps / secs / 1e9);
                }
            }
        }
        return best;
    }

    static double forwardSeconds(BertModel model, int batch, int length, int repeats) {
        BertInput in = BertInput.builder().setInputIds(randomIds(batch, length, model.config().vocabSize())).build();
        double[] times = new double[repeats];
        try (NDManager m = Engines.newManager()) {
            for (int r = -1; r < repeats; r++) {
                dev.infuse.io.StopSignal.check(() -> "in the forward benchmark; bench engine reports only when it ends, so nothing was written");
                try (NDManager s = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    model.forward(s, in, false).lastHidden().toFloatArray();
                    if (r >= 0) {
                        times[r] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
        }
        return median(times);
    }

    /**
     * Timed training steps: the median and range of whole steps, and the median of each part.
     *
     * @param steps steps timed after {@link #WARM_UP} untimed ones
     */
    public record Train(int steps, double median, double min, double max, double forward, double backward, double update,
            double peakRssMb) {}

    /** Steps run before timing starts: the first allocates the optimizer's moments, the second still settles memory. */
    static final int WARM_UP = 2;

    /**
     * The real training loop ({@link Trainer}) on BERT-base: forward with dropout, MLM loss on 15% of
     * positions, backward, global-norm clipping at 1 and an AdamW update of every encoder and head parameter.
     */
    static Train train(BertModel model, int batch, int length, int steps) {
        return train(model, batch, length, steps, null, s -> {});
    }

    /** @param trace where to write PyTorch's profile of the timed steps (a Chrome trace), or null */
    static Train train(BertModel model, int batch, int length, int steps, java.nio.file.Path trace, Consumer<String> log) {
        BertInput in = BertInput.builder().setInputIds(randomIds(batch, length, model.config().vocabSize())).build();
        int masked = Math.max(1, batch * length * 15 / 100);
        long[] positions = new long[masked];
        long[] labels = new long[masked];
        Random rng = new Random(3);
        for (int i = 0; i < masked; i++) {
            positions[i] = rng.nextInt(batch * length);
            labels[i] = rng.nextInt(model.config().vocabSize());
        }
        MlmBatch fixed = new MlmBatch(in, positions, labels, batch * length);
        BatchSource<MlmBatch> same = new BatchSource<>() {
            long served;

            @Override
            public MlmBatch next() {
                served++;
                return fixed;
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
        double[][] t = new double[4][steps]; // whole step, forward, backward, update
        TrainListener timer = new TrainListener() {
            @Override
            public void onStart(long step, long maxSteps) {
                Memory.resetPeak(); // after the trainer has released the C heap's free memory, before any step
                log.accept(String.format("  resident before the first step: %.0f MB", Memory.rssMb()));
            }

            @Override
            public void onStep(StepReport r) {
                if (trace != null && r.step() == WARM_UP) {
                    ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                }
                if (trace != null && r.step() == steps + WARM_UP) {
                    ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toString());
                }
                int k = (int) r.step() - WARM_UP - 1;
                if (k >= 0) {
                    t[0][k] = r.seconds();
                    t[1][k] = r.parts().forward();
                    t[2][k] = r.parts().backward();
                    t[3][k] = r.parts().update();
                }
            }
        };
        LoopSettings loop = new LoopSettings(steps + WARM_UP, 1e-5f, 0, LrSchedule.Kind.CONSTANT, 1f, 1, 0.01f, 42);
        Trainables params = new Trainables().encoder(model, Freeze.none().trainable(model.config())::contains);
        try (AdamW adam = new AdamW(loop.optimizer())) {
            new Trainer<>(params, Objective.mlm().on(model), same, loop, adam, List.of(timer)).run(0);
        } catch (dev.infuse.io.Stopped stop) {
            throw stop.then("bench engine reports only when it ends, so nothing was written");
        }
        return new Train(steps, median(t[0]), Arrays.stream(t[0]).min().orElseThrow(), Arrays.stream(t[0]).max().orElseThrow(),
                median(t[1]), median(t[2]), median(t[3]), Memory.peakRssMb());
    }

    static long[][] randomIds(int batch, int length, int vocab) {
        Random rng = new Random(42);
        long[][] ids = new long[batch][length];
        for (long[] row : ids) {
            for (int j = 0; j < length; j++) {
                row[j] = 1000 + rng.nextInt(vocab - 1000);
            }
        }
        return ids;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
