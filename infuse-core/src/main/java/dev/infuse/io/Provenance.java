package dev.infuse.io;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced an artifact: the inputs' hashes, the settings, the seed, the versions and the git commit.
 * Written as {@code provenance.json} beside every model, table and report.
 */
public final class Provenance {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Object> inputs = new LinkedHashMap<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();

    private Provenance(String kind) {
        fields.put("kind", kind);
        fields.put("created", Instant.now().toString());
        fields.put("infuse_version", Versions.infuse());
        fields.put("git_commit", System.getProperty("infuse.git.commit", "unknown"));
        fields.put("java", System.getProperty("java.version"));
        fields.put("djl", Versions.djl());
        fields.put("pytorch", Versions.pytorch());
    }

    public static Provenance of(String kind) {
        return new Provenance(kind);
    }

    public Provenance input(String name, Object value) {
        inputs.put(name, value);
        return this;
    }

    public Provenance setting(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    public void write(Path file) {
        AtomicFiles.writeString(file, Jsons.pretty().toJson(toMap()) + "\n");
    }

    /** What {@link #write} writes: the fields, then {@code inputs} and {@code settings}. */
    public Map<String, Object> toMap() {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        String precision = dev.infuse.engine.Engines.precisionIfChosen();
        if (precision != null) {
            all.put("precision", precision); // matrix products' precision, if a model ran in this process
        }
        all.put("inputs", new LinkedHashMap<>(inputs));
        all.put("settings", new LinkedHashMap<>(settings));
        return all;
    }

    /** SHA-256 of a file, streamed. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
