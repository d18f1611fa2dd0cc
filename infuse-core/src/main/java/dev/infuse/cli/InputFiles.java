package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.io.RunLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An input file as the readers need it: a regular file, which they may open more than once (a format is sniffed,
 * then read). Standard input ({@code -}), a pipe or a FIFO is copied once into a temporary file that is removed
 * when the JVM exits; a missing path or a directory is one line.
 */
final class InputFiles {
    private InputFiles() {}

    static Path readable(String flag, Path path) {
        boolean stdin = path.toString().equals("-");
        if (!stdin && Files.isDirectory(path)) {
            throw new InfuseException(flag + " " + path + " is a directory; it takes a file");
        }
        if (!stdin && !Files.exists(path)) {
            throw new InfuseException(flag + " " + path + ": no such file");
        }
        if (!stdin && Files.isRegularFile(path)) {
            return path;
        }
        String name = stdin ? "stdin" : path.getFileName().toString(); // keeps the extension, which picks the format
        try {
            Path copy = Files.createTempFile("infuse-input-", "-" + name);
            copy.toFile().deleteOnExit();
            try (InputStream in = stdin ? System.in : Files.newInputStream(path)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new InfuseException(flag + " " + path + ": cannot read (" + RunLock.reason(e) + ")");
        }
    }
}
