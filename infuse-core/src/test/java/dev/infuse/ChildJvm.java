package dev.infuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a JVM on the test classpath the way the launcher starts infuse: with its crash report sent to a
 * directory of our choosing ({@code -XX:ErrorFile}), never to the working directory.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** The command line for {@code mainClass args...}; {@code crashDir} is created, since the JVM falls back to the working directory when it is missing. */
    public static List<String> command(Path crashDir, String mainClass, List<String> args) throws IOException {
        return command(crashDir, List.of(), mainClass, args);
    }

    /** As above, with more JVM options before the class. */
    public static List<String> command(Path crashDir, List<String> jvmOptions, String mainClass, List<String> args) throws IOException {
        Files.createDirectories(crashDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:ErrorFile=" + crashDir.toAbsolutePath().resolve("hs_err_pid%p.log"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Where a JVM with process id {@code pid} may have written its crash report: the error file, the working directory, the temp directory. */
    public static List<Path> crashReports(long pid, Path crashDir, Path workDir) {
        String name = "hs_err_pid" + pid + ".log";
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(crashDir, workDir, Path.of(System.getProperty("user.dir")), Path.of("/tmp"), Path.of(System.getProperty("java.io.tmpdir")))) {
            if (Files.exists(dir.resolve(name))) {
                found.add(dir.resolve(name));
            }
        }
        return found;
    }
}
