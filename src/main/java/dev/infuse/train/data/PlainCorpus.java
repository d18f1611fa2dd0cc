package dev.infuse.train.data;

import dev.infuse.InfuseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/** A plain-text corpus: one passage per line, a blank line between documents (the domain bundle's corpus.txt). */
public final class PlainCorpus implements PassageSource {
    private final Path file;

    public PlainCorpus(Path file) {
        if (!Files.exists(file)) {
            throw new InfuseException("corpus file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new InfuseException("corpus " + file + " is a directory; --corpus takes a text file (use --domain for a bundle)");
        }
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public String sha256() {
        return dev.infuse.io.Provenance.sha256(file);
    }

    @Override
    public Pass open() {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InfuseException("corpus file not found: " + file);
        } catch (IOException e) {
            throw new InfuseException("cannot read corpus " + file + ": " + e.getMessage());
        }
        return new Pass() {
            private TextPassage next;
            private boolean newDocument = true;
            private long line;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    String s;
                    try {
                        s = in.readLine();
                    } catch (java.nio.charset.CharacterCodingException e) {
                        throw new InfuseException(file + " line " + (line + 1) + ": not UTF-8 text");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (s == null) {
                        return false;
                    }
                    line++;
                    if (s.isBlank()) {
                        newDocument = true;
                        continue;
                    }
                    next = new TextPassage(s, newDocument, List.of());
                    newDocument = false;
                }
                return true;
            }

            @Override
            public TextPassage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                TextPassage p = next;
                next = null;
                return p;
            }

            @Override
            public void close() {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Read-only file: nothing is lost.
                }
            }
        };
    }
}
