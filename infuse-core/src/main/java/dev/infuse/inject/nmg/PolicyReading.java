package dev.infuse.inject.nmg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import java.util.List;

/**
 * What the policy sees of a batch of texts and what it makes of them: the model's last hidden states, computed
 * without gradients and without dropout, and the policy's log-probability of every token.
 *
 * @param states per text, (n, H) row-major
 * @param logProbs per text, log π of each of its n tokens (about −1e9 where it cannot choose)
 * @param maskable per text, the tokens it may choose: not special
 */
record PolicyReading(float[][] states, float[][] logProbs, boolean[][] maskable, int hidden) {
    static PolicyReading of(BertModel model, PolicyNet net, List<TokenInstance> texts) {
        Tensors.noGrad();
        int b = texts.size();
        int t = texts.stream().mapToInt(TokenInstance::size).max().orElseThrow();
        int h = model.config().hiddenSize();
        long[][] ids = new long[b][t];
        int[][] padding = new int[b][t];
        float[][] real = new float[b][t];
        float[][] choosable = new float[b][t];
        boolean[][] maskable = new boolean[b][];
        for (int i = 0; i < b; i++) {
            TokenInstance in = texts.get(i);
            java.util.Arrays.fill(ids[i], model.config().padTokenId()); // RoBERTa numbers positions around its own pad id
            maskable[i] = new boolean[in.size()];
            for (int j = 0; j < in.size(); j++) {
                ids[i][j] = in.ids()[j];
                padding[i][j] = 1;
                real[i][j] = 1f;
                maskable[i][j] = !in.special()[j];
                choosable[i][j] = maskable[i][j] ? 1f : 0f;
            }
        }
        try (NDManager s = Engines.newManager()) {
            BertInput input = BertInput.builder().setInputIds(ids).optPaddingMask(padding).build();
            NDArray hidden = model.forward(s, input, false).lastHidden(); // (B, T, H)
            PolicyNet.Output out = net.forward(s, hidden, real, choosable);
            float[] hs = hidden.toFloatArray();
            float[] lp = out.logProbs().toFloatArray();
            float[][] states = new float[b][];
            float[][] logProbs = new float[b][];
            for (int i = 0; i < b; i++) {
                int n = texts.get(i).size();
                states[i] = java.util.Arrays.copyOfRange(hs, i * t * h, (i * t + n) * h);
                logProbs[i] = java.util.Arrays.copyOfRange(lp, i * t, i * t + n);
            }
            return new PolicyReading(states, logProbs, maskable, h);
        }
    }

    int maskableCount(int i) {
        int n = 0;
        for (boolean m : maskable[i]) {
            n += m ? 1 : 0;
        }
        return n;
    }
}
