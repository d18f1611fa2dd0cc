package dev.infuse.inject.ernie;

import dev.infuse.mask.Masker;
import dev.infuse.model.ForwardContext;
import dev.infuse.train.MlmBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * dEA's noisy alignments for one pretraining batch: each linked mention keeps its entity 80% of the time, is
 * aligned with another entity of the batch 5% of the time, and loses its alignment 15% of the time; the
 * objective still predicts the true entity. Draws come from each mention's own seed, so a resume aligns the same.
 */
final class Alignments {
    static final double KEEP = 0.80;
    static final double REPLACE = 0.05;

    enum Fate { KEEP, REPLACE, DROP }

    private Alignments() {}

    /** The fate a uniform draw {@code u} in [0, 1) gives. */
    static Fate fate(double u) {
        return u < KEEP ? Fate.KEEP : u < KEEP + REPLACE ? Fate.REPLACE : Fate.DROP;
    }

    /** The batch's distinct entity rows in order of first mention; the dEA candidates. */
    static List<Integer> candidates(List<MlmBatch.Linked> links, EntityVectors v) {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        for (MlmBatch.Linked l : links) {
            int r = v.row(l.entity());
            if (r >= 0) {
                seen.putIfAbsent(r, seen.size());
            }
        }
        return new ArrayList<>(seen.keySet());
    }

    /** The batch's rows with their noisy alignments added to whatever context they already had. */
    static ForwardContext context(MlmBatch batch, EntityVectors v) {
        List<Integer> candidates = candidates(batch.linked(), v);
        int b = batch.input().batchSize();
        List<List<int[]>> perRow = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            perRow.add(new ArrayList<>());
        }
        for (MlmBatch.Linked l : batch.linked()) {
            int r = v.row(l.entity());
            if (r < 0) {
                continue;
            }
            Random rng = Masker.rngFor(l.seed(), 7, 0);
            int aligned = switch (fate(rng.nextDouble())) {
                case KEEP -> r;
                case REPLACE -> candidates.size() < 2 ? -1 : other(candidates, r, rng);
                case DROP -> -1;
            };
            if (aligned >= 0) {
                perRow.get(l.row()).add(new int[] {l.start(), aligned});
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Map<String, Object> m = new HashMap<>(batch.input().context().isEmpty() ? Map.of() : batch.input().context().rows().get(i));
            List<int[]> a = perRow.get(i);
            if (!a.isEmpty()) {
                m.put(EntityAlignment.KEY, new EntityAlignment(a.stream().mapToInt(x -> x[0]).toArray(), a.stream().mapToInt(x -> x[1]).toArray()));
            }
            rows.add(m);
        }
        return new ForwardContext(rows);
    }

    /** A batch entity other than {@code self}, uniformly. */
    private static int other(List<Integer> candidates, int self, Random rng) {
        int k = rng.nextInt(candidates.size() - 1);
        int c = candidates.get(k);
        return c == self ? candidates.get(candidates.size() - 1) : c;
    }
}
