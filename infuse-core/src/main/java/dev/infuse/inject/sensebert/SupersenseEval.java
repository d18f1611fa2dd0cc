package dev.infuse.inject.sensebert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.infuse.InfuseException;
import dev.infuse.domain.wordnet.Synset;
import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Progress;
import dev.infuse.io.StopSignal;
import dev.infuse.model.Batches;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.text.Encoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Does a SenseBERT head know the sense of a word in context? WordNet's glosses quote example sentences for their
 * synset ("the patient is respiring" for breathe/respire), so the supersense of the synset's word in its example is
 * known. Each such word is masked, and the head of a {@code pretrain --method mlm+sensebert} run names a supersense
 * for it: over all 45, and among the word's own allowed senses A(w) (where chance is the mean of 1/|A(w)|). Only
 * words that are one token of the vocabulary take part, as in training.
 */
public final class SupersenseEval {
    /** One scored word: its sentence, the token to mask, the gold supersense, and the word's allowed senses. */
    record Item(String sentence, int start, int end, int gold, int[] allowed, char pos) {}

    /** @param correct, correctAmongAllowed, chance by part of speech n, v and overall ("all") */
    public record Result(int items, Map<String, Double> accuracy, Map<String, Double> accuracyAmongAllowed, Map<String, Double> chanceAmongAllowed,
            Map<String, Integer> counts) {}

    private SupersenseEval() {}

    public static Result run(MaskedLm lm, Path runDir, WordNet wn, int maxItems, long seed, int batchSize) {
        Path modules = runDir.resolve("modules.safetensors");
        if (!Files.isRegularFile(modules)) {
            throw new InfuseException(runDir + " has no modules.safetensors: it is not a pretraining run with a SenseBERT head "
                    + "(infuse pretrain --method mlm+sensebert)");
        }
        Map<String, HostTensor> head = Safetensors.read(modules);
        if (!head.containsKey(SenseBertObjective.WEIGHT) || !head.containsKey(SenseBertObjective.BIAS)) {
            throw new InfuseException(modules + " holds no " + SenseBertObjective.WEIGHT + ": the run trained no SenseBERT head");
        }
        VocabSenses vocab = VocabSenses.of(lm.tokenizer(), wn);
        List<Item> items = items(lm, wn, vocab);
        Collections.shuffle(items, new Random(seed));
        List<Item> sample = new ArrayList<>(items.subList(0, Math.min(maxItems, items.size())));
        sample.sort(java.util.Comparator.comparing(Item::sentence)); // a fixed order, whatever the shuffle's sample
        if (sample.isEmpty()) {
            throw new InfuseException("no WordNet example sentence has its synset's word as one token of " + lm.source() + "'s vocabulary");
        }
        Counts c = new Counts();
        try (Progress progress = new Progress("sensebert eval", sample.size(), "words"); NDManager m = Engines.newManager()) {
            NDArray w = Tensors.fromHost(m, head.get(SenseBertObjective.WEIGHT)); // (S, H)
            NDArray b = Tensors.fromHost(m, head.get(SenseBertObjective.BIAS)); // (S)
            for (int i = 0; i < sample.size(); i += batchSize) {
                int done = i;
                StopSignal.check(() -> done + " of " + sample.size() + " words scored");
                List<Item> batch = sample.subList(i, Math.min(sample.size(), i + batchSize));
                float[][] logits = logits(lm, batch, w, b);
                for (int k = 0; k < batch.size(); k++) {
                    c.add(batch.get(k), logits[k]);
                }
                progress.step(batch.size());
            }
        }
        return c.result(sample.size());
    }

    private static float[][] logits(MaskedLm lm, List<Item> batch, NDArray w, NDArray b) {
        List<InputRow> rows = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (Item it : batch) {
            Encoding e = lm.tokenizer().encode(it.sentence());
            long[] ids = new long[e.size()];
            int target = -1;
            for (int j = 0; j < e.size(); j++) {
                ids[j] = e.ids()[j];
                if (!e.special()[j] && e.starts()[j] == it.start() && e.ends()[j] == it.end()) {
                    target = j;
                }
            }
            ids[target] = lm.tokenizer().maskId();
            rows.add(new InputRow(ids, Map.of()));
            at.add(target);
        }
        try (NDManager s = Engines.newManager()) {
            Tensors.noGrad();
            NDArray hidden = lm.model().forward(s, Batches.padded(rows, lm.tokenizer().padId(), lm.model().config()), false).lastHidden(); // (B, T, H)
            int t = (int) hidden.getShape().get(1);
            long[] flat = new long[batch.size()];
            for (int k = 0; k < flat.length; k++) {
                flat[k] = (long) k * t + at.get(k);
            }
            NDArray picked = hidden.reshape(-1, hidden.getShape().get(2)).get(Tensors.copyOf(s, flat, new Shape(flat.length))); // (B, H)
            float[] out = Linear.linear(picked, w, b).singletonOrThrow().toFloatArray(); // (B, S)
            int senses = (int) w.getShape().get(0);
            float[][] rowsOut = new float[batch.size()][senses];
            for (int k = 0; k < batch.size(); k++) {
                System.arraycopy(out, k * senses, rowsOut[k], 0, senses);
            }
            return rowsOut;
        }
    }

    /** Every (example sentence, word of its synset) pair of the noun and verb synsets whose word is one vocabulary token. */
    static List<Item> items(MaskedLm lm, WordNet wn, VocabSenses vocab) {
        List<String> names = wn.supersenseNames();
        List<Item> out = new ArrayList<>();
        for (char pos : List.of('n', 'v')) {
            for (Synset s : wn.synsets(pos)) {
                for (String example : s.examples()) {
                    Item it = item(lm, wn, vocab, s, example, names.indexOf(s.supersense()));
                    if (it != null) {
                        out.add(it);
                    }
                }
            }
        }
        return out;
    }

    /** The first word of {@code example} whose base form is a one-word lemma of {@code s} and that is one token; null when none. */
    private static Item item(MaskedLm lm, WordNet wn, VocabSenses vocab, Synset s, String example, int gold) {
        Encoding e = lm.tokenizer().encode(example);
        for (int j = 0; j < e.size(); j++) {
            boolean whole = !e.special()[j] && (j + 1 >= e.size() || e.wordIds()[j + 1] != e.wordIds()[j])
                    && (j == 0 || e.wordIds()[j - 1] != e.wordIds()[j]);
            if (!whole) {
                continue;
            }
            String word = example.substring(e.starts()[j], e.ends()[j]).toLowerCase(Locale.ROOT);
            boolean ofSynset = wn.baseForms(word, s.pos()).stream().anyMatch(b -> s.lemmas().stream().anyMatch(l -> l.equalsIgnoreCase(b)));
            int[] allowed = vocab.allowed(e.ids()[j]);
            if (ofSynset && allowed.length > 0) {
                return new Item(example, e.starts()[j], e.ends()[j], gold, allowed, s.pos());
            }
        }
        return null;
    }

    private static final class Counts {
        final Map<String, double[]> byPos = new java.util.TreeMap<>(); // pos -> {n, correct, correctAllowed, chance}

        void add(Item it, float[] logits) {
            int best = argmax(logits, null);
            int bestAllowed = argmax(logits, it.allowed());
            for (String key : List.of("all", String.valueOf(it.pos()))) {
                double[] v = byPos.computeIfAbsent(key, k -> new double[4]);
                v[0]++;
                v[1] += best == it.gold() ? 1 : 0;
                v[2] += bestAllowed == it.gold() ? 1 : 0;
                v[3] += 1.0 / it.allowed().length;
            }
        }

        Result result(int items) {
            Map<String, Double> acc = new java.util.TreeMap<>();
            Map<String, Double> accAllowed = new java.util.TreeMap<>();
            Map<String, Double> chance = new java.util.TreeMap<>();
            Map<String, Integer> counts = new java.util.TreeMap<>();
            byPos.forEach((k, v) -> {
                acc.put(k, v[1] / v[0]);
                accAllowed.put(k, v[2] / v[0]);
                chance.put(k, v[3] / v[0]);
                counts.put(k, (int) v[0]);
            });
            return new Result(items, acc, accAllowed, chance, counts);
        }

        static int argmax(float[] logits, int[] among) {
            int best = -1;
            if (among == null) {
                for (int k = 0; k < logits.length; k++) {
                    best = best < 0 || logits[k] > logits[best] ? k : best;
                }
            } else {
                for (int k : among) {
                    best = best < 0 || logits[k] > logits[best] ? k : best;
                }
            }
            return best;
        }
    }
}
