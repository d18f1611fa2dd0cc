package dev.infuse.mask;

/**
 * An instance after masking.
 *
 * @param inputIds what the model reads: chosen tokens replaced by [MASK], a random token, or left alone
 * @param labels the original id where the model must predict, {@link #IGNORE} elsewhere
 */
public record MaskedExample(int[] inputIds, int[] labels) {
    public static final int IGNORE = -100;

    public MaskedExample {
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException("inputIds has " + inputIds.length + " entries, labels " + labels.length);
        }
    }

    public int predicted() {
        int n = 0;
        for (int l : labels) {
            n += l == IGNORE ? 0 : 1;
        }
        return n;
    }
}
