package dev.infuse.domain;

import dev.infuse.InfuseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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

    private Lines(InputStream in) {
        this.in = in;
    }

    /** Opens {@code file}; a missing file is a user error naming the path. */
    public static Lines open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            return new Lines(raw);
        } catch (NoSuchFileException e) {
            throw new InfuseException(file + ": file not found");
        } catch (IOException e) {
            throw new InfuseException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
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
            throw new UncheckedIOException(e);
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
