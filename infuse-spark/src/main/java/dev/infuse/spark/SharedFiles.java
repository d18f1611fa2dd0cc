package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * Paths every node can read, through Hadoop's file systems: a plain path or {@code file:} is used where it is;
 * {@code hdfs:}, {@code s3a:} and the others are copied once per JVM into a local cache, because the engine and
 * the bundle reader open local files. Outputs are written beside their target and renamed into place.
 */
final class SharedFiles {
    private SharedFiles() {}

    static boolean isLocal(String uri) {
        int colon = uri.indexOf(':');
        int slash = uri.indexOf('/');
        if (colon < 2 || (slash >= 0 && slash < colon)) {
            return true; // no scheme (a Windows drive letter has one character before its colon)
        }
        return uri.substring(0, colon).equals("file");
    }

    static Path localPath(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    }

    /** A local path holding {@code uri}'s file or directory. */
    static Path local(String uri) {
        if (isLocal(uri)) {
            Path p = localPath(uri);
            if (!Files.exists(p)) {
                throw new InfuseException(uri + ": not found on this machine; give a path every node can read (a shared file"
                        + " system, hdfs: or s3a:)");
            }
            return p;
        }
        return copy(uri, null);
    }

    /** A local copy of a bundle's entities file, enough for the jobs that read its corpus through Spark. */
    static Path localBundle(String uri) {
        if (isLocal(uri)) {
            return local(uri);
        }
        return copy(uri, BundleFiles.ENTITIES);
    }

    private static synchronized Path copy(String uri, String onlyPrefix) {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "infuse-spark-cache", hash(uri + "|" + onlyPrefix));
        if (Files.isDirectory(cache)) {
            return cache;
        }
        try {
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = src.getFileSystem(new Configuration());
            Path tmp = Files.createTempDirectory(Files.createDirectories(cache.getParent()), "copy");
            if (fs.getFileStatus(src).isDirectory()) {
                for (FileStatus f : fs.listStatus(src)) {
                    if (onlyPrefix == null || f.getPath().getName().startsWith(onlyPrefix)) {
                        FileUtil.copy(fs, f.getPath(), tmp.toFile(), false, fs.getConf());
                    }
                }
            } else {
                FileUtil.copy(fs, src, tmp.resolve(src.getName()).toFile(), false, fs.getConf());
            }
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
            return cache;
        } catch (IOException e) {
            throw new InfuseException("cannot read " + uri + ": " + e.getMessage());
        }
    }

    /** Fails in one line when {@code uri} cannot be read from here. */
    static void requireReadable(String flag, String uri, Configuration conf) {
        if (!exists(uri, conf)) {
            throw new InfuseException(flag + " " + uri + ": not found");
        }
    }

    static boolean exists(String uri, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new InfuseException("cannot reach " + uri + ": " + e.getMessage());
        }
    }

    /** Refuses an output that exists unless {@code overwrite}; the job's own files are replaced only when it finishes. */
    static void requireNewOutput(String flag, String uri, boolean overwrite, Configuration conf) {
        if (exists(uri, conf) && !overwrite) {
            throw new InfuseException(flag + " " + uri + " exists; pass --overwrite to replace it");
        }
    }

    /** The corpus file of the bundle at {@code domain} (given as {@code flag}): jsonl before plain text, each gzipped or not. */
    static String corpus(String flag, String domain, Configuration conf) {
        String jsonl = find(domain, BundleFiles.CORPUS_JSONL, conf);
        String corpus = jsonl != null ? jsonl : find(domain, BundleFiles.CORPUS_TEXT, conf);
        if (corpus == null) {
            throw new InfuseException(flag + " " + domain + " has no corpus (" + BundleFiles.CORPUS_JSONL + " or " + BundleFiles.CORPUS_TEXT
                    + ", gzipped or not)");
        }
        return corpus;
    }

    /** A bundle file {@code name} in {@code dir}, or its gzipped form, as {@code BundleFiles.find} looks for it; null if neither. */
    static String find(String dir, String name, Configuration conf) {
        for (String n : List.of(name, name + ".gz")) {
            String uri = dir.replaceAll("/+$", "") + "/" + n;
            if (exists(uri, conf)) {
                return uri;
            }
        }
        return null;
    }

    /** Moves the finished local file {@code done} to {@code target}: a rename on a local disk, a copy then a rename elsewhere. */
    static void publish(Path done, String target, Configuration conf) {
        try {
            if (isLocal(target)) {
                Path t = localPath(target).toAbsolutePath();
                Files.createDirectories(t.getParent());
                Files.move(done, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target + ".infuse-tmp");
            FileSystem fs = dst.getFileSystem(conf);
            fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(done.toUri()), tmp);
            fs.delete(dst, false);
            if (!fs.rename(tmp, dst)) {
                throw new IOException("rename of " + tmp + " failed");
            }
        } catch (IOException e) {
            throw new InfuseException("cannot write " + target + ": " + e.getMessage());
        }
    }

    /**
     * Writes a table and its provenance into local scratch files, then moves them to {@code output} and to
     * {@code output + provenanceSuffix}; a failure on the way leaves neither scratch file behind.
     */
    static void publishWithProvenance(String output, String provenanceSuffix, java.util.function.Consumer<Path> table,
            java.util.function.Consumer<Path> provenance, Configuration conf) {
        Path t = scratch(output, ".table");
        Path p = scratch(output, ".json");
        try {
            table.accept(t);
            provenance.accept(p);
            publish(t, output, conf);
            publish(p, output + provenanceSuffix, conf);
        } finally {
            deleteQuietly(t, p); // published files were moved away
        }
    }

    /** A local scratch file beside a local target (so the final move is a rename), or in the temp directory. */
    static Path scratch(String target, String suffix) {
        try {
            Path dir = isLocal(target) ? localPath(target).toAbsolutePath().getParent() : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(dir);
            return Files.createTempFile(dir, ".infuse-spark-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes local scratch files that are still there (published ones were moved away). */
    static void deleteQuietly(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // a scratch file left behind is named .infuse-spark-*; nothing reads it
            }
        }
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
