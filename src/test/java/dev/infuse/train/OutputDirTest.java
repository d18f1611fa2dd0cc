package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a rerun may do with the directory a stopped run left behind. */
class OutputDirTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void leftoversOfARunThatStoppedBeforeItsFirstCheckpointAreClearedWithANotice() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(out.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":NaN}\n");
        Files.createDirectories(out.resolve(".checkpoint-new"));
        assertNull(OutputDir.prepare(out, Set.of(), Map.of("lr", 1), false, false, log));
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count(), "the leftovers are gone");
        }
        String notice = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, notice.lines().count(), notice);
        assertTrue(notice.startsWith("infuse: starting over: ") && notice.contains(".checkpoint-new, metrics.jsonl"), notice);
    }

    @Test
    void aFinishedModelWithoutACheckpointIsNeverClearedSilently() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("done"));
        Files.writeString(out.resolve("metrics.jsonl"), "");
        Files.writeString(out.resolve("config.json"), "{}");
        InfuseException e = assertThrows(InfuseException.class, () -> OutputDir.prepare(out, Set.of(), Map.of(), false, false, log));
        assertEquals("--output-dir " + out + " is not empty (config.json, metrics.jsonl); choose an empty directory or pass --overwrite",
                e.getMessage());
        assertTrue(Files.exists(out.resolve("config.json")));
    }

    @Test
    void aForeignFileNextToLeftoversStillRefuses() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("mixed"));
        Files.writeString(out.resolve("metrics.jsonl"), "");
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThrows(InfuseException.class, () -> OutputDir.prepare(out, Set.of(), Map.of(), false, false, log));
        assertTrue(Files.exists(out.resolve("metrics.jsonl")) && Files.exists(out.resolve("notes.txt")), "nothing deleted");
    }

    @Test
    void aRunsOwnExtraFilesCountAsLeftoversOnlyForThatRun() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("ft"));
        Files.writeString(out.resolve("dev_scores.jsonl"), "");
        assertThrows(InfuseException.class, () -> OutputDir.prepare(out, Set.of(), Map.of(), false, false, log));
        assertNull(OutputDir.prepare(out, Set.of("dev_scores.jsonl"), Map.of(), false, false, log));
    }
}
