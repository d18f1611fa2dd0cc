package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.io.RunLock;
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
        try (OutputDir.Run run = OutputDir.prepare(out, Set.of(), Map.of("lr", 1), false, false, log)) {
            assertNull(run.resumeFrom());
            run.finish();
        }
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
        assertFalse(Files.exists(out.resolve(RunLock.FILE)), "a refused rerun leaves a finished model looking finished, so eval still loads it");
    }

    @Test
    void aRefusedRerunLeavesAnUnfinishedDirectoryMarked() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("half"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve(RunLock.FILE), "999999999\n");
        assertThrows(InfuseException.class, () -> OutputDir.prepare(out, Set.of(), Map.of(), false, false, log));
        assertTrue(Files.exists(out.resolve(RunLock.FILE)), "still unfinished");
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
        try (OutputDir.Run run = OutputDir.prepare(out, Set.of("dev_scores.jsonl"), Map.of(), false, false, log)) {
            assertNull(run.resumeFrom());
        }
    }

    @Test
    void aSettingTheEarlierRunHadAndThisOneLacksIsADifference() {
        assertEquals("kg-sha256: 3f2a there, (unset) here", OutputDir.differences(Map.of("lr", 1, "kg-sha256", "3f2a"), Map.of("lr", 1)));
        assertEquals("entity-table-sha256: (unset) there, 9c here", OutputDir.differences(Map.of("lr", 1), Map.of("lr", 1, "entity-table-sha256", "9c")));
        assertEquals("", OutputDir.differences(Map.of("lr", 1), Map.of("lr", "1")));
    }

    @Test
    void aKillDuringTheFirstCheckpointWriteLeavesADirectoryThatRestartsWithANotice() throws Exception {
        Path out = tmp.resolve("ft");
        try (OutputDir.Run run = OutputDir.prepare(out, Set.of("task.json"), Map.of("lr", 1), false, false, log)) {
            assertNull(run.resumeFrom());
            Files.writeString(out.resolve("config.json"), "{}"); // the best model was saved ...
            Files.writeString(out.resolve("task.json"), "{}");
            Files.createDirectories(out.resolve(".checkpoint-new")); // ... and the checkpoint write was cut short
        } // closed without finish(): a kill
        InfuseException load = assertThrows(InfuseException.class, () -> dev.infuse.io.RunLock.requireFinished(out, "a finished model"));
        assertTrue(load.getMessage().contains("stopped before it finished"), load.getMessage());
        try (OutputDir.Run again = OutputDir.prepare(out, Set.of("task.json"), Map.of("lr", 1), false, false, log)) {
            assertNull(again.resumeFrom());
            again.finish();
        }
        String notices = err.toString(StandardCharsets.UTF_8);
        assertTrue(notices.contains("taking over " + out), notices);
        assertTrue(notices.contains("starting over: " + out + " holds only what an unfinished run left before its first checkpoint (.checkpoint-new, config.json, task.json)"), notices);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count(), "the unfinished model is gone, and the finished run left no mark");
        }
    }

    @Test
    void aFailedPrepareRemovesTheDirectoryItCreated() {
        Path out = tmp.resolve("never");
        assertThrows(InfuseException.class, () -> OutputDir.prepare(out, Set.of(), Map.of(), true, false, log));
        assertTrue(!Files.exists(out), "no empty directory is left behind");
    }
}
