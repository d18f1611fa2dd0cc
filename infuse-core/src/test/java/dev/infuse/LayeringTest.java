package dev.infuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No code below the knowledge methods names one: the task layer, training, the model and the comparison (outside
 * its registry of methods, {@code bench/methods}) reach a method only through the plug-in type. Only the
 * command line, which parses each method's flags, and the registries may name them.
 */
class LayeringTest {
    static final Pattern METHOD = Pattern.compile("dev\\.infuse\\.inject\\.(pelt|kbert|zeo|adapter|table|nmg)\\.");
    static final Path MAIN = Path.of("infuse-core/src/main/java/dev/infuse");

    @Test
    void onlyTheCommandLineAndTheRegistriesNameAMethod() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                String rel = MAIN.relativize(f).toString().replace('\\', '/');
                return !rel.startsWith("inject/") && !rel.startsWith("cli/") && !rel.startsWith("bench/methods/");
            }).filter(f -> {
                try {
                    return METHOD.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(f -> MAIN.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), offenders, "files outside inject/, cli/ and bench/methods/ that name a knowledge method's classes");
    }

    /** The house's lower floors (design notes): nothing there looks up at the methods, the tasks, the comparison or the command line. */
    static final Pattern UPWARD = Pattern.compile("dev\\.infuse\\.(inject|task|bench|cli)\\b");
    static final List<String> LOWER = List.of("train/", "model/", "mask/", "text/", "engine/", "io/", "domain/");

    @Test
    void theLowerLayersNeverLookUp() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                String rel = MAIN.relativize(f).toString().replace('\\', '/');
                return LOWER.stream().anyMatch(rel::startsWith);
            }).filter(f -> {
                try {
                    return UPWARD.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(f -> MAIN.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), offenders, "files in " + LOWER + " that name inject/, task/, bench/ or cli/");
    }
}
