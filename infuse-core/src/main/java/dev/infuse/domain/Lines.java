package dev.infuse.domain;

import dev.infuse.InfuseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a text file line by line with strict UTF-8 decoding, transparently gunzipping {@code *.gz}.
 *
 * <p>Why not {@link java.io.BufferedReader}: it either replaces bad bytes silently or fails the whole
 * file, while the validator must name every bad line and carry on. Lines are split on raw bytes
 * ({@code \n}, which never occurs inside a multi-byte UTF-8 sequence) and each line is decoded alone.
 */
public final class Lines implements Closeable {
    /** One line: {@code text} is null when the bytes were not valid UTF-8. */
    public record Line(int number, String text) {}

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private int number;
    private boolean eof;

    private Lines(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** A file that could not be read: the message is {@code FILE: REASON}; {@link #reason()} is the part after the file. */
    public static final class ReadError extends InfuseException {
        private final String reason;

        ReadError(Path file, String reason, Throwable cause) {
            super(file + ": " + reason, cause);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final Path file;

    /** Opens {@code file}; a missing file, a directory or a bad gzip header is a user error naming the path. */
    public static Lines open(Path file) {
        if (Files.isDirectory(file)) {
            throw new ReadError(file, "is a directory, expected a file", null);
        }
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            if (isGzip(file)) {
                try {
                    raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                } catch (IOException e) {
                    raw.close();
                    throw e;
                }
            }
            return new Lines(file, raw);
        } catch (NoSuchFileException e) {
            throw new ReadError(file, "file not found", e);
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    /**
     * The one-line error for an I/O failure while reading {@code file}; gzip failures are told apart, since
     * the JDK's own messages ("Unexpected end of ZLIB input stream") name neither the file nor the cause.
     */
    public static ReadError readError(Path file, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (isGzip(file)) {
            if (e instanceof EOFException) {
                return new ReadError(file, "truncated gzip stream (unexpected end of file)", e);
            }
            if (e instanceof ZipException && msg.equals("Not in GZIP format")) {
                return new ReadError(file, "not a gzip file, though its name ends in .gz", e);
            }
            if (e instanceof ZipException) {
                return new ReadError(file, "corrupt gzip stream (" + msg + ")", e);
            }
        }
        return new ReadError(file, "cannot read (" + msg + ")", e);
    }

    /** The next line, or null at end of file. A trailing {@code \r} is dropped. */
    public Line next() {
        if (eof) {
            return null;
        }
        buf.reset();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                buf.write(b);
            }
            if (b == -1) {
                eof = true;
                if (buf.size() == 0) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw readError(file, e);
        }
        number++;
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        try {
            return new Line(number, decoder.decode(ByteBuffer.wrap(bytes, 0, len)).toString());
        } catch (CharacterCodingException e) {
            return new Line(number, null);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
