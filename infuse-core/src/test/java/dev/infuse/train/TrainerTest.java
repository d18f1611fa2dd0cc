package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pretraining path on a tiny model: learning, exact resume, divergence, freezing. */
class TrainerTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        corpus = TinyRun.corpus(tmp.resolve("corpus.txt"));
    }

    /** Records every step's loss. */
    static final class Losses implements TrainListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public void onStep(StepReport r) {
            values.add(r.loss());
        }
    }

    @Test
    void lossFallsOnAMemorisableCorpus() {
        Losses losses = new Losses();
        TrainSettings s = new TrainSettings(8, 16, 1e-2f, 10, LrSchedule.Kind.COSINE, 1f, 1, Freeze.none(), 0, 150, 3, 0.01f, 0.15);
        Pretraining.run(TinyRun.job(model, corpus, "token", s, tmp.resolve("learn"), false), List.of(losses), TinyRun.QUIET);
        double first = losses.values.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.values.subList(120, 150).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < 0.55 * first, "loss went from " + first + " to " + last);
        assertTrue(Files.exists(tmp.resolve("learn/model.safetensors")) && Files.exists(tmp.resolve("learn/provenance.json")));
        try (dev.infuse.model.MaskedLm lm = dev.infuse.model.MaskedLm.load(tmp.resolve("learn").toString())) {
            assertEquals(TinyRun.tokenizer().vocabSize(), lm.tokenizer().vocabSize(), "the output loads with --model");
        }
    }

    @Test
    void resumeAfterAKillGivesIdenticalWeights() throws Exception {
        // Dropout on (tiny config: 0.1), accumulation and clipping on: every source of state must be restored.
        TrainSettings s = new TrainSettings(3, 12, 2e-3f, 2, LrSchedule.Kind.LINEAR, 0.5f, 2, Freeze.none(), 3, 8, 11, 0.01f, 0.15);
        Pretraining.run(TinyRun.job(model, corpus, "wwm", s, tmp.resolve("straight"), false), List.of(), TinyRun.QUIET);
        Path killed = tmp.resolve("killed");
        assertThrows(IllegalStateException.class,
                () -> Pretraining.run(TinyRun.job(model, corpus, "wwm", s, killed, false), List.of(new KillAfter(4)), TinyRun.QUIET));
        assertEquals(3, TrainCheckpoint.readState(killed.resolve("checkpoint")).step(), "the last checkpoint before the kill");
        Pretraining.run(TinyRun.job(model, corpus, "wwm", s, killed, true), List.of(), TinyRun.QUIET);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/model.safetensors")), Files.readAllBytes(killed.resolve("model.safetensors")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/checkpoint/optimizer.safetensors")),
                Files.readAllBytes(killed.resolve("checkpoint/optimizer.safetensors")));
        List<String> a = Files.readAllLines(tmp.resolve("straight/metrics.jsonl"));
        List<String> b = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertEquals(8, b.size(), "metrics of the killed steps are replaced, not duplicated");
        for (int i = 0; i < 8; i++) {
            assertEquals(field(a.get(i), "loss"), field(b.get(i), "loss"), "loss of step " + (i + 1));
        }
    }

    static String field(String json, String key) {
        return com.google.gson.JsonParser.parseString(json).getAsJsonObject().get(key).toString();
    }

    @Test
    void aSignalStopsAfterTheStepWithACheckpointAndTheResumedRunIsIdentical() throws Exception {
        TrainSettings s = TinyRun.settings(8); // saves only at the end: the stop writes its own checkpoint
        Pretraining.run(TinyRun.job(model, corpus, "wwm", s, tmp.resolve("sig-straight"), false), List.of(), TinyRun.QUIET);
        Path stopped = tmp.resolve("sig-stopped");
        Stopped e;
        try {
            e = assertThrows(Stopped.class, () -> Pretraining.run(TinyRun.job(model, corpus, "wwm", s, stopped, false),
                    List.of(new SignalAt(3, StopSignal.Kind.INT)), TinyRun.QUIET));
        } finally {
            StopSignal.clear();
        }
        assertEquals(130, e.exitCode());
        assertEquals("stopped by SIGINT after step 3 of 8; the checkpoint of step 3 is in " + stopped.resolve("checkpoint")
                + "; rerun with --resume to continue", e.line());
        assertEquals(3, TrainCheckpoint.readState(stopped.resolve("checkpoint")).step());
        assertFalse(Files.exists(stopped.resolve("model.safetensors")), "a stopped run writes no final model");
        Pretraining.run(TinyRun.job(model, corpus, "wwm", s, stopped, true), List.of(), TinyRun.QUIET);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("sig-straight/model.safetensors")), Files.readAllBytes(stopped.resolve("model.safetensors")));
    }

    @Test
    void aSignalBeforeTheFirstStepSaysThereIsNothingToResume() {
        Path stopped = tmp.resolve("sig-early");
        StopSignal.request(StopSignal.Kind.TERM);
        Stopped e;
        try {
            e = assertThrows(Stopped.class, () -> Pretraining.run(TinyRun.job(model, corpus, "wwm", TinyRun.settings(8), stopped, false),
                    List.of(), TinyRun.QUIET));
        } finally {
            StopSignal.clear();
        }
        assertEquals(143, e.exitCode());
        assertEquals("stopped by SIGTERM before step 1 of 8; no checkpoint was written, so there is nothing to resume; rerun the command"
                + " to start again", e.line());
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStepAndKeepsTheLastGoodCheckpoint() {
        // A learning rate of 1e30 turns the weights into overflowing numbers after the first update.
        TrainSettings s = new TrainSettings(4, 16, 1e30f, 0, LrSchedule.Kind.CONSTANT, 0f, 1, Freeze.none(), 1, 10, 7, 0f, 0.15);
        Path out = tmp.resolve("nan");
        InfuseException e = assertThrows(InfuseException.class,
                () -> Pretraining.run(TinyRun.job(model, corpus, "token", s, out, false), List.of(), TinyRun.QUIET));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("training stopped: (loss|gradient norm) is (NaN|Infinity).* at step (\\d+).*the last good checkpoint \\(step (\\d+)\\) is kept in .*")
                .matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        long bad = Long.parseLong(m.group(3));
        assertEquals(bad - 1, Long.parseLong(m.group(4)), "the checkpoint of the step before");
        assertEquals(bad - 1, TrainCheckpoint.readState(out.resolve("checkpoint")).step());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no final model from a diverged run");
    }

    @Test
    void topLayerFreezingLeavesLowerLayersAndEmbeddingsUntouched() throws Exception {
        TrainSettings s = TinyRun.settings(3).withFreeze(new Freeze(1, false));
        Path out = tmp.resolve("frozen");
        Pretraining.run(TinyRun.job(model, corpus, "token", s, out, false), List.of(), TinyRun.QUIET);
        try (BertModel before = Checkpoints.readHuggingFace(model); BertModel after = Checkpoints.readHuggingFace(out)) {
            for (Map.Entry<String, NDArray> e : before.parameters().entrySet()) {
                boolean same = java.util.Arrays.equals(e.getValue().toFloatArray(), after.parameter(e.getKey()).toFloatArray());
                boolean trains = e.getKey().contains("layer.1.") || e.getKey().startsWith("cls.");
                assertEquals(!trains, same, e.getKey() + (trains ? " should have trained" : " should be frozen"));
            }
        }
    }
}
