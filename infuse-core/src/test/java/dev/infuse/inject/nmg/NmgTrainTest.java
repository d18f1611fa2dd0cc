package dev.infuse.inject.nmg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.StepReport;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nmg train} on a tiny random model: episodes run, and a run killed between episodes resumes to the same bytes. */
class NmgTrainTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path train;
    static Path dev;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = NmgTiny.bundle(tmp.resolve("bundle"));
        train = NmgTiny.typing(tmp.resolve("train.jsonl"), 40, 1);
        dev = NmgTiny.typing(tmp.resolve("dev.jsonl"), 30, 2);
    }

    static NmgTrainJob job(Path out, int episodes, boolean resume) {
        NmgSettings s = new NmgSettings(episodes, 2, 4, 16, 1, 1e-3f, 40, 30, 3, 4, 64, 1e-3f, 5);
        return new NmgTrainJob(model.toString(), bundle, "typing", train, dev, s, out, resume, false);
    }

    @Test
    void aRunKilledBetweenEpisodesResumesBitForBit() throws Exception {
        Path whole = tmp.resolve("whole");
        NmgTraining.run(job(whole, 3, false), QUIET);

        Path killed = tmp.resolve("killed");
        try {
            Stopped stop = assertThrows(Stopped.class, () -> NmgTraining.run(job(killed, 3, false), done -> {
                if (done == 1) {
                    StopSignal.request(StopSignal.Kind.TERM);
                }
            }, List.of(), QUIET));
            assertTrue(stop.line().contains("after episode 1 of 3") && stop.line().contains("rerun with --resume"), stop.line());
        } finally {
            StopSignal.clear();
        }
        assertTrue(Files.exists(killed.resolve("checkpoint/trainer_state.json")));
        NmgTraining.run(job(killed, 3, true), QUIET);
        assertSameRun(whole, killed);
    }

    /** A signal inside episode 2 (after the opponent's first step) drops that episode's work; the resumed run redoes it exactly. */
    @Test
    void aRunStoppedInsideAnEpisodeResumesBitForBit() throws Exception {
        Path whole = tmp.resolve("whole-2");
        NmgTraining.run(job(whole, 2, false), QUIET);
        Path stopped = tmp.resolve("stopped-inside");
        int[] agentRuns = {0};
        TrainListener inside = new TrainListener() {
            @Override
            public void onStart(long step, long maxSteps) {
                agentRuns[0]++;
            }

            @Override
            public void onStep(StepReport r) {
                if (agentRuns[0] == 5 && r.step() == 1) { // episode 2, the opponent's copy
                    StopSignal.request(StopSignal.Kind.INT);
                }
            }
        };
        try {
            Stopped stop = assertThrows(Stopped.class, () -> NmgTraining.run(job(stopped, 2, false), done -> { }, List.of(inside), QUIET));
            assertTrue(stop.line().startsWith("stopped by SIGINT during episode 2 of 2, whose work is dropped; the checkpoint after episode 1"),
                    stop.line());
        } finally {
            StopSignal.clear();
        }
        NmgTraining.run(job(stopped, 2, true), QUIET);
        assertSameRun(whole, stopped);
    }

    static void assertSameRun(Path whole, Path killed) throws Exception {
        for (String f : List.of(PolicyFiles.WEIGHTS, PolicyConfig.FILE, "checkpoint/" + NmgCheckpoint.POLICIES,
                "checkpoint/" + NmgCheckpoint.OPTIMIZER, "checkpoint/" + NmgCheckpoint.REPLAY)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
        List<String> a = withoutSeconds(whole.resolve(NmgCheckpoint.CURVE));
        assertEquals(a, withoutSeconds(killed.resolve(NmgCheckpoint.CURVE)));
        assertTrue(ReplayMemory.restore(64, Safetensors.read(whole.resolve("checkpoint/" + NmgCheckpoint.REPLAY)))
                .size() > 0, "the episodes credited some tokens");
    }

    static List<String> withoutSeconds(Path curve) throws Exception {
        return Files.readAllLines(curve).stream().map(l -> l.replaceAll(",\"seconds\":[0-9.]+", "")).toList();
    }

    @Test
    void anEpisodeBudgetOfZeroIsOneLine() {
        InfuseException e = assertThrows(InfuseException.class, () -> job(tmp.resolve("zero"), 0, false));
        assertEquals("--episodes must be at least 1, found 0", e.getMessage());
    }
}
