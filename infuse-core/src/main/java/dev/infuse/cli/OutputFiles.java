package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.io.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks a file a command will write, before it loads a model or does any work: a mistake costs nothing, and
 * nothing a user keeps is replaced by mistake. Outputs are written by replacing the file (temp file, then
 * rename), so a path that is not a plain file is refused rather than turned into one.
 */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * A path that can become a file: not an input of the same command (by real path), not a directory, device,
     * pipe or symbolic link, in an existing folder where a file can be created now (tried, so the OS's own
     * reason is reported).
     */
    static void requireWritable(String flag, Path file, Path... inputs) {
        if (Files.isSymbolicLink(file)) {
            throw new InfuseException(flag + " " + file + " is a symbolic link; name the file itself, infuse replaces what it writes");
        }
        if (Files.isDirectory(file)) {
            throw new InfuseException(flag + " " + file + " is a directory; it takes a file name");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InfuseException(flag + " " + file + " exists and is not a regular file (a device or a pipe); infuse writes"
                    + " outputs by replacing the file, so name a plain file" + (flag.equals("--output") ? ", or leave --output out for standard output" : ""));
        }
        for (Path in : inputs) {
            if (in != null && sameFile(file, in)) {
                throw new InfuseException(flag + " " + file + " is the input " + in + "; writing it would destroy the input, choose another file");
            }
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new InfuseException(flag + " " + file + ": the folder " + folder + " does not exist");
        }
        try {
            Files.delete(Files.createTempFile(folder, "." + file.getFileName(), ".probe"));
        } catch (IOException e) {
            throw new InfuseException(flag + " " + file + ": cannot create a file in " + folder + " (" + RunLock.reason(e) + ")");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new InfuseException(flag + " " + file + ": the file is not writable");
        }
    }

    /** The files directly in {@code dir} (none when it is missing): inputs an output must not replace. */
    static Path[] filesIn(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return new Path[0];
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.toArray(Path[]::new);
        } catch (IOException e) {
            return new Path[0];
        }
    }

    /** Whether two paths name one file now, or would once {@code out} is written (same folder and name). */
    static boolean sameFile(Path out, Path in) {
        try {
            if (Files.exists(out) && Files.exists(in)) {
                return Files.isSameFile(out, in);
            }
            Path folder = out.toAbsolutePath().getParent();
            Path inFolder = in.toAbsolutePath().getParent();
            return folder != null && inFolder != null && Files.exists(folder) && Files.exists(inFolder)
                    && folder.toRealPath().resolve(out.getFileName()).equals(inFolder.toRealPath().resolve(in.getFileName()));
        } catch (IOException e) {
            return false;
        }
    }
}
