package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Predicts the tokens behind every mask token of a batch of texts. */
public final class FillMask {
    /** One candidate token with its raw logit and softmax probability over the vocabulary. */
    public record Candidate(String token, int id, float logit, float probability) {}

    /** The candidates for the mask at token index {@code position}. */
    public record Prediction(int position, List<Candidate> top) {}

    public record Result(String text, long[] ids, List<Prediction> masks) {}

    private FillMask() {}

    public static List<Result> predict(MaskedLm lm, List<String> texts, int topK) {
        List<InputRow> rows = new ArrayList<>();
        for (String text : texts) {
            rows.add(new InputRow(encode(lm, text), Map.of()));
        }
        return predictRows(lm, texts, rows, topK);
    }

    /** Predicts for rows already encoded (for example with entity slots plugged in). */
    public static List<Result> predictRows(MaskedLm lm, List<String> texts, List<InputRow> rows, int topK) {
        if (topK < 1) {
            throw new InfuseException("--top-k must be at least 1, got " + topK);
        }
        Tokenizer tok = lm.tokenizer();
        List<long[]> where = maskPositions(rows, tok.maskId());
        float[] logits;
        Tensors.noGrad();
        try (NDManager m = Engines.newManager()) {
            logits = lm.model().mlmLogits(transformAtMasks(m, lm, rows, where)).toFloatArray(); // (M, V) flat
        }
        int v = lm.model().config().vocabSize();
        List<List<Prediction>> perText = new ArrayList<>();
        rows.forEach(r -> perText.add(new ArrayList<>()));
        for (int i = 0; i < where.size(); i++) {
            perText.get((int) where.get(i)[0]).add(new Prediction((int) where.get(i)[1], top(tok, logits, i * v, v, topK)));
        }
        List<Result> out = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) {
            out.add(new Result(texts.get(b), rows.get(b).ids(), perText.get(b)));
        }
        return out;
    }

    /**
     * The MLM head's transform at every mask of the texts, (M, H) flattened, from the same forward pass
     * fill-mask uses: PELT's vectors must equal these.
     */
    public static float[] maskTransforms(MaskedLm lm, List<String> texts) {
        List<InputRow> rows = new ArrayList<>();
        for (String text : texts) {
            rows.add(new InputRow(encode(lm, text), Map.of()));
        }
        Tensors.noGrad();
        try (NDManager m = Engines.newManager()) {
            return transformAtMasks(m, lm, rows, maskPositions(rows, lm.tokenizer().maskId())).toFloatArray();
        }
    }

    /**
     * One padded forward pass over {@code rows}, then the MLM transform at each (row, position) of
     * {@code where}: (M, H), attached to {@code m}.
     */
    public static NDArray transformAtMasks(NDManager m, MaskedLm lm, List<InputRow> rows, List<long[]> where) {
        BertInput in = Batches.padded(rows, lm.tokenizer().padId());
        NDArray hidden = lm.model().forward(m, in, false).lastHidden(); // (B, T, H)
        long[] flatIdx = where.stream().mapToLong(w -> w[0] * in.length() + w[1]).toArray();
        NDArray picked = hidden.reshape(-1, lm.model().config().hiddenSize())
                .get(Tensors.copyOf(m, flatIdx, new Shape(flatIdx.length))); // (M, H)
        return lm.model().mlmTransform(picked);
    }

    /** (row, position) of every mask token, in row order. */
    private static List<long[]> maskPositions(List<InputRow> rows, int maskId) {
        List<long[]> where = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) {
            for (int j = 0; j < rows.get(b).length(); j++) {
                if (rows.get(b).ids()[j] == maskId) {
                    where.add(new long[] {b, j});
                }
            }
        }
        return where;
    }

    public static long[] encode(MaskedLm lm, String text) {
        if (text.isBlank()) {
            throw new InfuseException("empty text: fill-mask needs a sentence with " + lm.tokenizer().maskToken());
        }
        Encoding e = lm.tokenizer().encode(text);
        long[] ids = new long[e.ids().length];
        boolean hasMask = false;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = e.ids()[i];
            hasMask |= ids[i] == lm.tokenizer().maskId();
        }
        if (!hasMask) {
            throw new InfuseException("no " + lm.tokenizer().maskToken() + " in text: \"" + text + "\"");
        }
        int max = lm.model().config().maxSequenceLength();
        if (ids.length > max) {
            throw new InfuseException("text of " + ids.length + " tokens is longer than the model's " + max + ": \""
                    + text.substring(0, Math.min(40, text.length())) + "...\"");
        }
        return ids;
    }

    /** The k largest logits of one row, best first, with probabilities from a stable softmax. */
    static List<Candidate> top(Tokenizer tok, float[] logits, int from, int v, int k) {
        int kk = Math.min(k, v);
        int[] best = new int[kk];
        java.util.Arrays.fill(best, -1);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            float x = logits[from + i];
            max = Math.max(max, x);
            if (best[kk - 1] < 0 || x > logits[from + best[kk - 1]]) {
                int j = kk - 1;
                while (j > 0 && (best[j - 1] < 0 || x > logits[from + best[j - 1]])) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = i;
            }
        }
        double z = 0;
        for (int i = 0; i < v; i++) {
            z += Math.exp(logits[from + i] - max);
        }
        List<Candidate> out = new ArrayList<>();
        for (int id : best) {
            float logit = logits[from + id];
            out.add(new Candidate(tok.idToToken(id), id, logit, (float) (Math.exp(logit - max) / z)));
        }
        return out;
    }
}
