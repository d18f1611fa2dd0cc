package dev.infuse.inject.pelt;

import dev.infuse.bench.Agreements;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Precision;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs, in one process and on the same occurrences, PELT's reference recipe (windows tokenized inline,
 * every one padded to the full length, batches of 64 in corpus order) and infuse's (tokenized on another
 * thread, batches of windows sorted by length and padded only to the longest), and compares the tables.
 */
public final class PeltBench {
    /**
     * Occurrences per second for each recipe, their ratio, and the worst per-entity cosine between the tables.
     * Under bf16, {@code fp32} is infuse's recipe run again with fp32 products, for the speed-up and agreement.
     */
    public record Result(int occurrences, int entities, double referencePerS, double infusePerS, double speedup, double minCosine,
            double meanTokens, Precision precision, Fp32 fp32) {}

    /** The fp32 build beside a bf16 one: its speed and the worst per-entity cosine between the two tables. */
    public record Fp32(double infusePerS, double minCosineToFp32) {}

    private PeltBench() {}

    public static Result run(MaskedLm lm, DomainBundle bundle, int maxWindows, int maxSeqLength, Consumer<String> log) throws Exception {
        PeltOptions options = new PeltOptions(256, maxSeqLength, java.util.Set.of(), 42, 64, 2048, 1e9);
        Occurrences occ = new Occurrences(bundle, options);
        occ.count();
        List<Occurrences.Spot> spots = new ArrayList<>();
        occ.forEachKept(s -> {
            if (spots.size() < maxWindows) {
                spots.add(s);
            }
        });
        Tokenizer tok = lm.tokenizer();
        int rows = occ.selected().size();
        int h = lm.model().config().hiddenSize();
        PeltBuilder.maskVectors(lm, List.of(Occurrences.window(tok, spots.get(0), maxSeqLength)), maxSeqLength); // warm-up

        log.accept("reference recipe: " + spots.size() + " windows padded to " + maxSeqLength + ", batches of 64 ...");
        float[] refSums = new float[rows * h];
        long t0 = System.nanoTime();
        for (int i = 0; i < spots.size(); i += 64) {
            List<MaskWindow> batch = new ArrayList<>();
            for (Occurrences.Spot s : spots.subList(i, Math.min(spots.size(), i + 64))) {
                batch.add(Occurrences.window(tok, s, maxSeqLength));
            }
            add(refSums, batch, PeltBuilder.maskVectors(lm, batch, maxSeqLength), h);
        }
        double refSecs = (System.nanoTime() - t0) / 1e9;

        log.accept("infuse recipe: tokenizing on another thread, length-sorted batches ...");
        float[] ourSums = new float[rows * h];
        double ourSecs = infuseRecipe(lm, tok, spots, maxSeqLength, ourSums, h);
        double minCos = minCosine(refSums, ourSums, rows, h);
        int entities = 0;
        for (int r = 0; r < rows; r++) {
            entities += isZero(refSums, r * h, h) ? 0 : 1;
        }
        Precision precision = lm.model().precision();
        Fp32 fp32 = null;
        if (precision != Precision.FP32) {
            log.accept("infuse recipe again with fp32 products, for the agreement ...");
            float[] fp32Sums = new float[rows * h];
            lm.model().setPrecision(Precision.FP32);
            try {
                double fp32Secs = infuseRecipe(lm, tok, spots, maxSeqLength, fp32Sums, h);
                fp32 = new Fp32(spots.size() / fp32Secs, minCosine(fp32Sums, ourSums, rows, h));
            } finally {
                lm.model().setPrecision(null);
            }
        }
        double tokens = spots.stream().mapToInt(s -> Occurrences.window(tok, s, maxSeqLength).ids().length).average().orElse(0);
        return new Result(spots.size(), entities, spots.size() / refSecs, spots.size() / ourSecs, refSecs / ourSecs, minCos, tokens,
                precision, fp32);
    }

    /** infuse's recipe into {@code sums}; returns its seconds. */
    private static double infuseRecipe(MaskedLm lm, Tokenizer tok, List<Occurrences.Spot> spots, int maxSeqLength, float[] sums, int h)
            throws Exception {
        long t1 = System.nanoTime();
        ExecutorService tokenizer = Executors.newSingleThreadExecutor();
        try {
            Future<List<MaskWindow>> windows = tokenizer.submit(() -> {
                List<MaskWindow> w = new ArrayList<>();
                for (Occurrences.Spot s : spots) {
                    w.add(Occurrences.window(tok, s, maxSeqLength));
                }
                w.sort(Comparator.comparingInt(x -> x.ids().length));
                return w;
            });
            List<MaskWindow> sorted = windows.get();
            for (int i = 0; i < sorted.size(); i += 64) {
                List<MaskWindow> batch = sorted.subList(i, Math.min(sorted.size(), i + 64));
                add(sums, batch, PeltBuilder.maskVectors(lm, batch, 0), h);
            }
        } finally {
            tokenizer.shutdown();
        }
        return (System.nanoTime() - t1) / 1e9;
    }

    /** The worst cosine between two tables' rows, over the rows that have a vector in {@code a}. */
    private static double minCosine(float[] a, float[] b, int rows, int h) {
        double min = 1;
        for (int r = 0; r < rows; r++) {
            if (!isZero(a, r * h, h)) {
                min = Math.min(min, Agreements.cosine(a, b, r * h, h));
            }
        }
        return min;
    }

    private static boolean isZero(float[] a, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void add(float[] sums, List<MaskWindow> batch, float[] vectors, int h) {
        for (int b = 0; b < batch.size(); b++) {
            int row = batch.get(b).row();
            for (int d = 0; d < h; d++) {
                sums[row * h + d] += vectors[b * h + d];
            }
        }
    }
}
