package dev.infuse.inject.pelt;

import dev.infuse.domain.DomainBundle;
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
    /** Occurrences per second for each recipe, their ratio, and the worst per-entity cosine between the tables. */
    public record Result(int occurrences, int entities, double referencePerS, double infusePerS, double speedup, double minCosine,
            double meanTokens) {}

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
            List<Occurrences.Window> batch = new ArrayList<>();
            for (Occurrences.Spot s : spots.subList(i, Math.min(spots.size(), i + 64))) {
                batch.add(Occurrences.window(tok, s, maxSeqLength));
            }
            add(refSums, batch, PeltBuilder.maskVectors(lm, batch, maxSeqLength), h);
        }
        double refSecs = (System.nanoTime() - t0) / 1e9;

        log.accept("infuse recipe: tokenizing on another thread, length-sorted batches ...");
        float[] ourSums = new float[rows * h];
        long t1 = System.nanoTime();
        ExecutorService tokenizer = Executors.newSingleThreadExecutor();
        try {
            Future<List<Occurrences.Window>> windows = tokenizer.submit(() -> {
                List<Occurrences.Window> w = new ArrayList<>();
                for (Occurrences.Spot s : spots) {
                    w.add(Occurrences.window(tok, s, maxSeqLength));
                }
                w.sort(Comparator.comparingInt(x -> x.ids().length));
                return w;
            });
            List<Occurrences.Window> sorted = windows.get();
            for (int i = 0; i < sorted.size(); i += 64) {
                List<Occurrences.Window> batch = sorted.subList(i, Math.min(sorted.size(), i + 64));
                add(ourSums, batch, PeltBuilder.maskVectors(lm, batch, 0), h);
            }
        } finally {
            tokenizer.shutdown();
        }
        double ourSecs = (System.nanoTime() - t1) / 1e9;

        double minCos = 1;
        int entities = 0;
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int d = 0; d < h; d++) {
                dot += (double) refSums[r * h + d] * ourSums[r * h + d];
                a += (double) refSums[r * h + d] * refSums[r * h + d];
                b += (double) ourSums[r * h + d] * ourSums[r * h + d];
            }
            if (a > 0) {
                entities++;
                minCos = Math.min(minCos, dot / Math.sqrt(a * b));
            }
        }
        double tokens = spots.stream().mapToInt(s -> Occurrences.window(tok, s, maxSeqLength).ids().length).average().orElse(0);
        return new Result(spots.size(), entities, spots.size() / refSecs, spots.size() / ourSecs, refSecs / ourSecs, minCos, tokens);
    }

    private static void add(float[] sums, List<Occurrences.Window> batch, float[] vectors, int h) {
        for (int b = 0; b < batch.size(); b++) {
            int row = batch.get(b).row();
            for (int d = 0; d < h; d++) {
                sums[row * h + d] += vectors[b * h + d];
            }
        }
    }
}
