package dev.infuse.domain;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Writes bundle files atomically: each goes to a temporary file in the same directory and is renamed
 * over the target only when complete, so a crash never leaves a half-written bundle that validates.
 *
 * <p>With {@code gzip} every file is written as {@code NAME.gz}; the other variant of the same file
 * is deleted so the reader never sees two versions.
 */
public final class BundleWriter {
    private final Path dir;
    private final boolean gzip;

    public BundleWriter(Path dir, boolean gzip) {
        this.dir = dir;
        this.gzip = gzip;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InfuseException(dir + ": cannot create output directory (" + e.getMessage() + ")", e);
        }
    }

    public void writeEntities(Iterable<Entity> entities) {
        write(BundleFiles.ENTITIES, entities.iterator(), BundleFormat::format);
    }

    /** Streams passages to {@code corpus.jsonl}; the iterator may be lazy. */
    public void writeCorpus(Iterator<Passage> passages) {
        write(BundleFiles.CORPUS_JSONL, passages, BundleFormat::format);
        deleteVariants(BundleFiles.CORPUS_TEXT, null);
    }

    public void writeTriples(Iterable<Triple> triples) {
        write(BundleFiles.TRIPLES, triples.iterator(), BundleFormat::format);
    }

    /** Writes any line-oriented file atomically (used for non-bundle outputs too); {@code .gz} names are gzipped. */
    public static <T> void writeLines(Path target, Iterator<T> items, Function<T, String> format) {
        AtomicFiles.write(target, raw -> {
            OutputStream os = target.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            while (items.hasNext()) {
                w.write(format.apply(items.next()));
                w.write('\n');
            }
            w.flush();
            if (os instanceof GZIPOutputStream gz) {
                gz.finish();
            }
        });
    }

    private <T> void write(String name, Iterator<T> items, Function<T, String> format) {
        String file = gzip ? name + ".gz" : name;
        writeLines(dir.resolve(file), items, format);
        deleteVariants(name, file);
    }

    private void deleteVariants(String name, String keep) {
        for (Path p : BundleFiles.variants(dir, name)) {
            if (!p.getFileName().toString().equals(keep)) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new InfuseException(p + ": cannot remove stale file (" + e.getMessage() + ")", e);
                }
            }
        }
    }
}
