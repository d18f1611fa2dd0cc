package dev.infuse.train.data;

import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import java.nio.file.Files;
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

    /** Reads the file, gunzipping a {@code .gz} name, with strict UTF-8: a bad line is an error naming it. */
    @Override
    public Pass open() {
        Lines in = Lines.open(file);
        return new Pass() {
            private TextPassage next;
            private boolean newDocument = true;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    Lines.Line l = in.next();
                    if (l == null) {
                        return false;
                    }
                    if (l.text() == null) {
                        throw new InfuseException(file + " line " + l.number() + ": not UTF-8 text");
                    }
                    if (l.text().isBlank()) {
                        newDocument = true;
                        continue;
                    }
                    next = new TextPassage(l.text(), newDocument, List.of());
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
                in.close();
            }
        };
    }
}
