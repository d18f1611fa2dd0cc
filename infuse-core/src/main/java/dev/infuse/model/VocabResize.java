package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Changes a model's vocabulary size: the word embeddings, the MLM decoder tied to them, the MLM output bias
 * and the config's {@code vocab_size} move together.
 *
 * <p>Rows that exist in both sizes are copied bit for bit; shrinking keeps the first rows. New bias entries
 * are 0 (what Hugging Face's tied-decoder padding gives). New embedding rows follow the default of recent
 * transformers versions ({@code resize_token_embeddings(..., mean_resizing=True)}): a draw from a normal
 * distribution with the old rows' mean and their covariance scaled by 1e-9. A new token so starts as an
 * "average" token, whose logit is near the average logit, instead of pointing in a random direction, and
 * several new tokens still differ slightly.
 *
 * <p>How it is drawn: with X the old rows centred on their mean (V×H), {@code Xᵀz/√V} for z ~ N(0, I_V)
 * has exactly the covariance XᵀX/V, so no H×H covariance and no Cholesky factor are needed. The
 * distribution is Hugging Face's; the numbers for a given seed are not Python's. Hugging Face falls back to
 * the plain mean when the covariance is not positive definite; this draw stays in the (degenerate) normal.
 */
public final class VocabResize {
    /** Hugging Face scales the old covariance by this factor before sampling new rows. */
    public static final double COVARIANCE_SCALE = 1e-9;

    private VocabResize() {}

    /**
     * A new model with {@code newSize} word rows; the given model is left as it was (close both).
     *
     * @param seed drives the draw of new rows, so a resize is reproducible
     */
    public static BertModel resize(BertModel model, int newSize, long seed) {
        BertConfig c = model.config();
        if (newSize <= 0) {
            throw new InfuseException("a vocabulary needs at least one token, asked for " + newSize);
        }
        int oldSize = c.vocabSize();
        int h = c.hiddenSize();
        String wordName = ParameterSpec.prefix(c) + "embeddings.word_embeddings.weight";
        String biasName = ParameterSpec.HeadNames.of(c).bias();
        float[] words = model.wordEmbeddings().toFloatArray();
        float[] bias = model.parameter(biasName).toFloatArray();

        float[] newWords = Arrays.copyOf(words, newSize * h); // keeps the first rows, zero-fills the rest
        float[] newBias = Arrays.copyOf(bias, newSize); // new entries are 0
        if (newSize > oldSize) {
            float[] drawn = meanResized(words, oldSize, h, newSize - oldSize, new Random(seed));
            System.arraycopy(drawn, 0, newWords, oldSize * h, drawn.length);
        }

        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            if (e.getKey().equals(wordName)) {
                tensors.put(wordName, new HostTensor(new long[] {newSize, h}, FloatBuffer.wrap(newWords)));
            } else if (e.getKey().equals(biasName)) {
                tensors.put(biasName, new HostTensor(new long[] {newSize}, FloatBuffer.wrap(newBias)));
            } else {
                tensors.put(e.getKey(), Checkpoints.toHost(e.getValue()));
            }
        }
        return BertModel.load(c.withVocabSize(newSize), tensors, "vocabulary resize " + oldSize + " -> " + newSize);
    }

    /**
     * A new model with one more word row per entry of {@code pieces}, at ids {@code firstId}, {@code firstId + 1}, ...: each new
     * word-embedding row (which the tied MLM decoder reads as its output row) and each new MLM bias entry is the mean of the
     * rows and entries of that word's old pieces, as exBERT, AVocaDo and fast vocabulary transfer start a new word. Every
     * other row is copied bit for bit; the given model is left as it was (close both).
     *
     * @param firstId the first new id, at most the model's vocabulary size (rows from it on that the model already has, spare
     *     padding rows, are overwritten; a row below it never is)
     * @param pieces for each new word, the old ids it used to split into (at least one each, all below {@code firstId})
     */
    public static BertModel appendMeanRows(BertModel model, int firstId, java.util.List<int[]> pieces) {
        BertConfig c = model.config();
        int oldSize = c.vocabSize();
        if (firstId < 0 || firstId > oldSize) {
            throw new InfuseException("new rows must start within or right after the vocabulary of " + oldSize + ", found " + firstId);
        }
        int h = c.hiddenSize();
        int newSize = Math.max(oldSize, firstId + pieces.size());
        String wordName = ParameterSpec.prefix(c) + "embeddings.word_embeddings.weight";
        String biasName = ParameterSpec.HeadNames.of(c).bias();
        float[] words = Arrays.copyOf(model.wordEmbeddings().toFloatArray(), newSize * h);
        float[] bias = Arrays.copyOf(model.parameter(biasName).toFloatArray(), newSize);
        double[] acc = new double[h];
        for (int k = 0; k < pieces.size(); k++) {
            int[] ids = pieces.get(k);
            if (ids.length == 0) {
                throw new InfuseException("new word " + k + " has no old pieces to start from");
            }
            Arrays.fill(acc, 0);
            double b = 0;
            for (int id : ids) {
                if (id < 0 || id >= firstId) {
                    throw new InfuseException("piece id " + id + " of new word " + k + " is not an old row (below " + firstId + ")");
                }
                for (int d = 0; d < h; d++) {
                    acc[d] += words[id * h + d];
                }
                b += bias[id];
            }
            int row = firstId + k;
            for (int d = 0; d < h; d++) {
                words[row * h + d] = (float) (acc[d] / ids.length);
            }
            bias[row] = (float) (b / ids.length);
        }
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            if (e.getKey().equals(wordName)) {
                tensors.put(wordName, new HostTensor(new long[] {newSize, h}, FloatBuffer.wrap(words)));
            } else if (e.getKey().equals(biasName)) {
                tensors.put(biasName, new HostTensor(new long[] {newSize}, FloatBuffer.wrap(bias)));
            } else {
                tensors.put(e.getKey(), Checkpoints.toHost(e.getValue()));
            }
        }
        return BertModel.load(c.withVocabSize(newSize), tensors, "vocabulary extension " + oldSize + " -> " + newSize);
    }

    /** {@code count} rows of H values: mean + √(scale/V)·Xᵀz per row, in double precision. */
    static float[] meanResized(float[] words, int v, int h, int count, Random rng) {
        double[] mean = new double[h];
        for (int r = 0; r < v; r++) {
            for (int d = 0; d < h; d++) {
                mean[d] += words[r * h + d];
            }
        }
        for (int d = 0; d < h; d++) {
            mean[d] /= v;
        }
        double step = Math.sqrt(COVARIANCE_SCALE / v);
        float[] out = new float[count * h];
        double[] acc = new double[h];
        for (int k = 0; k < count; k++) {
            Arrays.fill(acc, 0);
            for (int r = 0; r < v; r++) {
                double z = rng.nextGaussian();
                int at = r * h;
                for (int d = 0; d < h; d++) {
                    acc[d] += z * (words[at + d] - mean[d]);
                }
            }
            for (int d = 0; d < h; d++) {
                out[k * h + d] = (float) (mean[d] + step * acc[d]);
            }
        }
        return out;
    }
}
