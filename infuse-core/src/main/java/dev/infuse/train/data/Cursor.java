package dev.infuse.train.data;

/**
 * Where the next instance starts: enough to rebuild the exact stream after a restart.
 *
 * @param epoch passes completed over the corpus
 * @param index the next instance's number within the epoch (it seeds that instance's masks)
 * @param passage the next passage's number within the pass
 * @param token the first body token (specials excluded) of that passage not yet used
 */
public record Cursor(long epoch, long index, long passage, int token) {
    public Cursor {
        if (epoch < 0 || index < 0 || passage < 0 || token < 0) {
            throw new IllegalArgumentException("cursor fields must be non-negative: " + epoch + ", " + index + ", " + passage + ", " + token);
        }
    }

    public static Cursor start() {
        return new Cursor(0, 0, 0, 0);
    }
}
