package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.KillAfter;
import dev.infuse.train.SignalAt;
import dev.infuse.train.StepReport;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny model learns tiny separable NER and typing sets, and a saved run evaluates to the same scores. */
class FineTuningTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
    }

    static final class Losses implements TrainListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public void onStep(StepReport r) {
            values.add(r.loss());
        }
    }

    static FinetuneJob job(String task, Path train, Path dev, Transfer transfer, int steps, float lr, Path out) {
        return new FinetuneJob(model.toString(), task, train, dev, transfer, 0, 8, 32, lr, 1, steps, 20, 100, 0.1f, 3, out, false, false);
    }

    static double mean(List<Double> v, int from, int to) {
        return v.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void nerLearnsAndEvalOfTheSavedRunReproducesTheScores() throws Exception {
        Path train = TinyTasks.ner(tmp.resolve("ner-train.conll"), 80, 1);
        Path dev = TinyTasks.ner(tmp.resolve("ner-dev.conll"), 20, 2);
        Path out = tmp.resolve("ner-out");
        Losses losses = new Losses();
        FineTuning.Result r = FineTuning.run(job("ner", train, dev, Transfer.FULL, 100, 2e-3f, out), List.of(losses), QUIET);
        assertTrue(mean(losses.values, 90, 100) < 0.5 * mean(losses.values, 0, 10), "loss " + losses.values);
        double first = (double) r.history().get(0).get("f1");
        assertTrue(r.best().primary() > 0.9 && r.best().primary() > first, "dev F1 " + r.history());
        try (TaskModel saved = TaskModel.load(out)) {
            Scores again = Predictor.evaluate(saved, Tasks.read("ner", dev), 8, QUIET);
            assertEquals(r.best().primary(), again.primary(), 0.0);
            assertEquals(r.best().all().get("per_type").toString(), again.all().get("per_type").toString());
        }
    }

    @Test
    void typingLearnsWithSpanPoolingAndReportsBuckets() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("ty-train.jsonl"), 80, 3);
        Path dev = TinyTasks.typing(tmp.resolve("ty-dev.jsonl"), 30, 4);
        Losses losses = new Losses();
        FineTuning.Result r = FineTuning.run(job("typing", train, dev, Transfer.FULL, 60, 2e-3f, tmp.resolve("ty-out")), List.of(losses), QUIET);
        assertTrue(mean(losses.values, 50, 60) < 0.5 * mean(losses.values, 0, 10), "loss " + losses.values);
        assertTrue(r.best().primary() > 0.9, "dev accuracy " + r.history());
        assertTrue(r.best().all().containsKey("per_bucket"), r.best().all().toString());
    }

    @Test
    void relationWithMarkersAndSentenceClassificationLearn() throws Exception {
        Path train = TinyTasks.relation(tmp.resolve("re-train.jsonl"), 120, 8);
        Path dev = TinyTasks.relation(tmp.resolve("re-dev.jsonl"), 40, 9);
        FineTuning.Result r = FineTuning.run(job("relation", train, dev, Transfer.FULL, 120, 2e-3f, tmp.resolve("re-out")), List.of(), QUIET);
        assertTrue(r.best().primary() > 0.8, "dev accuracy over 4 relations " + r.history());
        Path ctrain = TinyTasks.classify(tmp.resolve("c-train.jsonl"), 60, 10);
        Path cdev = TinyTasks.classify(tmp.resolve("c-dev.jsonl"), 20, 11);
        FineTuning.Result c = FineTuning.run(job("classify", ctrain, cdev, Transfer.FULL, 60, 2e-3f, tmp.resolve("c-out")), List.of(), QUIET);
        assertTrue(c.best().primary() > 0.9, "dev accuracy " + c.history());
    }

    @Test
    void scalarMixOverAFrozenEncoderTrainsOnlyTheHead() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("mix-train.jsonl"), 60, 5);
        Path dev = TinyTasks.typing(tmp.resolve("mix-dev.jsonl"), 20, 6);
        Path out = tmp.resolve("mix-out");
        FineTuning.run(job("typing", train, dev, Transfer.MIX, 30, 1e-2f, out), List.of(), QUIET);
        // The encoder did not move: every encoder weight equals the base model's; the head and the mix sit beside them.
        var base = Safetensors.read(model.resolve("model.safetensors"));
        var saved = Safetensors.read(out.resolve("model.safetensors"));
        base.forEach((name, t) -> assertEquals(t.data(), saved.get(name).data(), name));
        for (String head : List.of(TaskHead.WEIGHT, TaskHead.BIAS, TaskHead.MIX_WEIGHTS, TaskHead.MIX_GAMMA)) {
            assertTrue(saved.containsKey(head), head);
        }
        assertTrue(!Files.exists(out.resolve(TaskModel.HEAD_FILE)));
    }

    @Test
    void aResumedRunEndsExactlyWhereTheUninterruptedOneDoes() throws Exception {
        Path train = TinyTasks.ner(tmp.resolve("r-train.conll"), 40, 21);
        Path dev = TinyTasks.ner(tmp.resolve("r-dev.conll"), 10, 22);
        Path whole = tmp.resolve("r-whole");
        Path cut = tmp.resolve("r-cut");
        FineTuning.Result a = FineTuning.run(job("ner", train, dev, Transfer.FULL, 50, 2e-3f, whole), List.of(), QUIET);
        assertThrows(IllegalStateException.class, () -> FineTuning.run(job("ner", train, dev, Transfer.FULL, 50, 2e-3f, cut), List.of(new KillAfter(27)), QUIET));
        assertTrue(Files.exists(cut.resolve("checkpoint/state.json")));
        FinetuneJob resume = new FinetuneJob(model.toString(), "ner", train, dev, Transfer.FULL, 0, 8, 32, 2e-3f, 1, 50, 20, 100, 0.1f, 3, cut,
                false, true);
        FineTuning.Result b = FineTuning.run(resume, List.of(), QUIET);
        assertEquals(a.best().primary(), b.best().primary(), 0.0);
        assertEquals(-1L, Files.mismatch(whole.resolve("model.safetensors"), cut.resolve("model.safetensors")));
        assertEquals(Files.readAllLines(whole.resolve("dev_scores.jsonl")), Files.readAllLines(cut.resolve("dev_scores.jsonl")));
        assertTrue(!Files.exists(cut.resolve("checkpoint")), "a finished run removes its checkpoint");
        InfuseException e = assertThrows(InfuseException.class, () -> FineTuning.run(resume, List.of(), QUIET));
        assertTrue(e.getMessage().startsWith("nothing to resume"), e.getMessage());
    }

    @Test
    void aSignalBetweenEvaluationsKeepsTheStepsSinceTheLastOne() throws Exception {
        Path train = TinyTasks.ner(tmp.resolve("s-train.conll"), 40, 21);
        Path dev = TinyTasks.ner(tmp.resolve("s-dev.conll"), 10, 22);
        Path whole = tmp.resolve("s-whole");
        Path cut = tmp.resolve("s-cut");
        FineTuning.Result a = FineTuning.run(job("ner", train, dev, Transfer.FULL, 50, 2e-3f, whole), List.of(), QUIET);
        Stopped e;
        try {
            e = assertThrows(Stopped.class, () -> FineTuning.run(job("ner", train, dev, Transfer.FULL, 50, 2e-3f, cut),
                    List.of(new SignalAt(27, StopSignal.Kind.TERM)), QUIET));
        } finally {
            StopSignal.clear();
        }
        assertEquals("stopped by SIGTERM after step 27 of 50; the checkpoint of step 27 is in " + cut.resolve("checkpoint")
                + "; rerun with --resume to continue", e.line());
        assertTrue(Files.exists(cut.resolve("checkpoint/state.json")), "the early-stopping state is in the checkpoint");
        FinetuneJob resume = new FinetuneJob(model.toString(), "ner", train, dev, Transfer.FULL, 0, 8, 32, 2e-3f, 1, 50, 20, 100, 0.1f, 3, cut,
                false, true);
        FineTuning.Result b = FineTuning.run(resume, List.of(), QUIET);
        assertEquals(a.best().primary(), b.best().primary(), 0.0);
        assertEquals(-1L, Files.mismatch(whole.resolve("model.safetensors"), cut.resolve("model.safetensors")));
        assertEquals(Files.readAllLines(whole.resolve("dev_scores.jsonl")), Files.readAllLines(cut.resolve("dev_scores.jsonl")));
    }

    @Test
    void aHeadLearningRateLetsTheHeadLearnWhileTheEncoderBarelyMoves() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("h-train.jsonl"), 80, 31);
        Path held = TinyTasks.typing(tmp.resolve("h-dev.jsonl"), 30, 32);
        Path slow = tmp.resolve("h-slow");
        Path fast = tmp.resolve("h-fast");
        FineTuning.Result s = FineTuning.run(new FinetuneJob(model.toString(), "typing", train, held, Transfer.FULL, 0, 8, 32, 1e-6f, 1, 40,
                40, 3, 0.1f, 3, slow, false, false), List.of(), QUIET);
        FineTuning.Result r = FineTuning.run(new FinetuneJob(model.toString(), "typing", train, held, Transfer.FULL, 0, 8, 32, 1e-6f, 1, 40,
                40, 3, 0.1f, 3, fast, false, false, 1e-2f, List.of()), List.of(), QUIET);
        assertTrue(r.best().primary() > s.best().primary(), "a head at 1e-2 beats one at 1e-6: " + r.history() + " " + s.history());
        // Both runs start from the same seeded head; at 1e-6 for 40 steps it can move at most 4e-5 per weight.
        String head = TaskHead.WEIGHT;
        assertTrue(maxChange(slow.resolve("model.safetensors"), fast.resolve("model.safetensors"), head) > 0.05, "the fast head moved");
        double encoder = maxChange(model.resolve("model.safetensors"), fast.resolve("model.safetensors"), "bert.encoder.layer.1.output.dense.weight");
        assertTrue(encoder > 0 && encoder < 1e-4, "the encoder trained at 1e-6 only, moved " + encoder);
    }

    static double maxChange(Path a, Path b, String tensor) {
        java.nio.FloatBuffer x = dev.infuse.model.io.Safetensors.read(a).get(tensor).data().duplicate();
        java.nio.FloatBuffer y = dev.infuse.model.io.Safetensors.read(b).get(tensor).data().duplicate();
        double m = 0;
        while (x.hasRemaining()) {
            m = Math.max(m, Math.abs(x.get() - y.get()));
        }
        return m;
    }

    @Test
    void trainTopLayersLeavesEmbeddingsAndLowerLayersAlone() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("k-train.jsonl"), 30, 12);
        Path out = tmp.resolve("k-out");
        FineTuning.run(new FinetuneJob(model.toString(), "typing", train, train, Transfer.FULL, 1, 8, 32, 1e-3f, 1, 6, 6, 3, 0.1f, 3, out, false, false), List.of(), QUIET);
        var base = dev.infuse.model.io.Safetensors.read(model.resolve("model.safetensors"));
        var tuned = dev.infuse.model.io.Safetensors.read(out.resolve("model.safetensors"));
        for (String same : List.of("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.output.dense.weight")) {
            assertEquals(base.get(same).data(), tuned.get(same).data(), same);
        }
        String top = "bert.encoder.layer.1.output.dense.weight";
        assertTrue(!base.get(top).data().equals(tuned.get(top).data()), top + " should have trained");
    }

    @Test
    void emptyDevSetAndUnseenTestLabels() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("e-train.jsonl"), 20, 7);
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n");
        InfuseException e = assertThrows(InfuseException.class,
                () -> FineTuning.run(job("typing", train, empty, Transfer.TOP, 5, 1e-3f, tmp.resolve("e-out")), List.of(), QUIET));
        assertTrue(e.getMessage().contains("dev set"), e.getMessage());
        Path out = tmp.resolve("u-out");
        FineTuning.run(job("typing", train, train, Transfer.TOP, 4, 1e-3f, out), List.of(), QUIET);
        Path test = Files.writeString(tmp.resolve("unseen.jsonl"), "{\"text\":\"the cat sat\",\"start\":4,\"end\":7,\"label\":\"pet\"}\n");
        java.io.ByteArrayOutputStream warn = new java.io.ByteArrayOutputStream();
        try (TaskModel saved = TaskModel.load(out)) {
            Scores s = Predictor.evaluate(saved, Tasks.read("typing", test), 4, new PrintStream(warn, true));
            assertEquals(0.0, s.primary());
            assertEquals(List.of("pet"), s.all().get("unseen_labels"));
        }
        assertTrue(warn.toString().contains("\"pet\" never occurs in training"), warn.toString());
    }
}
