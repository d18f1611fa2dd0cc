package dev.infuse.inject.nmg;

/**
 * One credited action kept for replay: the state the player saw, which of its tokens were credited, how probable
 * the policy found them then, and the reward.
 *
 * @param state (n, H) row-major, the model's last hidden states of the text
 * @param maskable per token, whether the policy could choose it
 * @param positions the credited tokens ({@link RewardCredit#positions})
 * @param oldLogProbs log π_old of each credited token when it was chosen, for the importance ratio
 */
public record Experience(float[] state, int hidden, boolean[] maskable, int[] positions, float[] oldLogProbs, float reward) {
    public Experience {
        if (state.length != maskable.length * hidden || positions.length != oldLogProbs.length || positions.length == 0) {
            throw new IllegalArgumentException("experience of " + maskable.length + " tokens has " + state.length + " state values, "
                    + positions.length + " positions and " + oldLogProbs.length + " log-probabilities");
        }
    }

    public int length() {
        return maskable.length;
    }

    /** The mean state over the text's tokens, what the critic reads. */
    public float[] pooled() {
        int n = length();
        float[] m = new float[hidden];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < hidden; j++) {
                m[j] += state[t * hidden + j];
            }
        }
        for (int j = 0; j < hidden; j++) {
            m[j] /= n;
        }
        return m;
    }
}
