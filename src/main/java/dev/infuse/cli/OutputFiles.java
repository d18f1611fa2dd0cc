package dev.infuse.cli;

import dev.infuse.InfuseException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a file a command will write, before it loads a model or does any work: a mistake costs nothing. */
final class OutputFiles {
    private OutputFiles() {}

    /** A path that can become a file: not a directory, in an existing folder that may be written. */
    static void requireWritable(String flag, Path file) {
        if (Files.isDirectory(file)) {
            throw new InfuseException(flag + " " + file + " is a directory; it takes a file name");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new InfuseException(flag + " " + file + ": the folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new InfuseException(flag + " " + file + ": " + (Files.exists(file) ? "the file" : "its folder") + " is not writable");
        }
    }
}
