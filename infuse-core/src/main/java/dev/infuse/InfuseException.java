package dev.infuse;

/**
 * A problem the user can fix: a missing file, a malformed line, a wrong shape, a bad flag.
 *
 * <p>The CLI prints only the message, on one line, and exits non-zero; the stack trace appears
 * only with {@code --verbose}. Messages name the thing and show found versus expected.
 */
public class InfuseException extends RuntimeException {
    public InfuseException(String message) {
        super(message);
    }

    public InfuseException(String message, Throwable cause) {
        super(message, cause);
    }
}
