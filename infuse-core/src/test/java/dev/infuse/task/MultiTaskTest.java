package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.train.EpochBatches;
import dev.infuse.train.KillAfter;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import dev.infuse.train.data.Cursor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One encoder, two heads: sampling by size^tau, a resume to the byte, and each head saved as a task model of its own. */
class MultiTaskTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static List<MultiTaskJob.Part> parts;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        parts = List.of(new MultiTaskJob.Part("ner", TinyTasks.ner(tmp.resolve("ner-train.conll"), 40, 1), TinyTasks.ner(tmp.resolve("ner-dev.conll"), 10, 2)),
                new MultiTaskJob.Part("typing", TinyTasks.typing(tmp.resolve("ty-train.jsonl"), 120, 3), TinyTasks.typing(tmp.resolve("ty-dev.jsonl"), 20, 4)));
    }

    static EpochBatches<TaskBatch> source(int size) {
        return new EpochBatches<>(size, 1, 0, epoch -> java.util.stream.IntStream.range(0, size).boxed().toList(), i -> new TaskBatch(List.of()));
    }

    @Test
    void tasksAreDrawnInProportionToSizeToTheTau() {
        for (float tau : new float[] {1f, 0f, 0.5f}) {
            TaskSampler s = new TaskSampler(List.of(source(100), source(300)), List.of(100, 300), tau, 7);
            int first = 0;
            for (int n = 0; n < 10_000; n++) {
                first += s.next().task() == 0 ? 1 : 0;
            }
            double expected = Math.pow(100, tau) / (Math.pow(100, tau) + Math.pow(300, tau));
            assertEquals(expected, first / 10_000.0, 0.02, "tau " + tau);
        }
    }

    @Test
    void seekingPutsEveryTasksEpochWhereTheDrawsLeftIt() {
        List<Integer> seen = new ArrayList<>();
        List<EpochBatches<TaskBatch>> a = List.of(tracked(3, 0, seen), tracked(5, 100, seen));
        TaskSampler straight = new TaskSampler(a, List.of(3, 5), 1f, 9);
        for (int n = 0; n < 11; n++) {
            straight.next();
        }
        Cursor at = straight.cursor();
        seen.clear();
        for (int n = 0; n < 6; n++) {
            straight.next();
        }
        List<Integer> expected = new ArrayList<>(seen);
        List<Integer> again = new ArrayList<>();
        TaskSampler resumed = new TaskSampler(List.of(tracked(3, 0, again), tracked(5, 100, again)), List.of(3, 5), 1f, 9);
        resumed.seek(at);
        for (int n = 0; n < 6; n++) {
            resumed.next();
        }
        assertEquals(expected, again);
    }

    /** A source of single-example batches whose example ids (offset by {@code base}) are recorded as they are drawn, reshuffled each epoch. */
    static EpochBatches<TaskBatch> tracked(int size, int base, List<Integer> seen) {
        return new EpochBatches<>(size, 1, 0, epoch -> {
            List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, size).boxed().toList());
            java.util.Collections.shuffle(order, new java.util.Random(epoch * 31 + base));
            return order;
        }, i -> {
            seen.add(base + i.get(0));
            return new TaskBatch(List.of());
        });
    }

    static MultiTaskJob job(Path out, boolean resume) {
        return new MultiTaskJob(model.toString(), parts, 1f, 0, 8, 32, 2e-3f, 2e-3f, 30, 10, 100, 0.1f, 5, out, false, resume);
    }

    @Test
    void aKilledRunResumesToTheSameBytesAndEachHeadIsATaskModel() throws Exception {
        Path whole = tmp.resolve("whole");
        MultiTask.Result a = MultiTask.run(job(whole, false), List.of(), QUIET);
        Path cut = tmp.resolve("cut");
        TrainListener kill = new KillAfter(17);
        assertThrows(IllegalStateException.class, () -> MultiTask.run(job(cut, false), List.of(kill), QUIET));
        MultiTask.Result b = MultiTask.run(job(cut, true), List.of(), QUIET);
        assertEquals(a.best().primary(), b.best().primary(), 0.0);
        for (String task : List.of("ner", "typing")) {
            assertEquals(-1L, Files.mismatch(whole.resolve(task).resolve("model.safetensors"), cut.resolve(task).resolve("model.safetensors")), task);
            try (TaskModel m = TaskModel.load(whole.resolve(task))) {
                assertEquals(task, m.task());
                Scores s = Predictor.evaluate(m, Tasks.read(task, parts.get(task.equals("ner") ? 0 : 1).dev()), 8, QUIET);
                assertEquals(((java.util.Map<?, ?>) a.best().all().get(MultiTask.PRIMARY)).get(task), s.primary(), "the saved " + task + " head scores as at its best");
            }
        }
        assertEquals(Files.readAllLines(whole.resolve("dev_scores.jsonl")), Files.readAllLines(cut.resolve("dev_scores.jsonl")));
        assertTrue(a.best().primary() > 0.5, "the two heads learn: " + a.best().all());
    }

    @Test
    void badTaskListsAreOneLine() {
        assertEquals("multitask needs at least two --task KIND=TRAIN,DEV, found 1", assertThrows(InfuseException.class,
                () -> new MultiTaskJob(model.toString(), parts.subList(0, 1), 1f, 0, 8, 32, 1e-3f, 1e-3f, 2, 2, 1, 0.1f, 1, tmp.resolve("x"), false, false))
                .getMessage());
        assertEquals("--task ner is given twice; one head per task kind", assertThrows(InfuseException.class,
                () -> new MultiTaskJob(model.toString(), List.of(parts.get(0), parts.get(0)), 1f, 0, 8, 32, 1e-3f, 1e-3f, 2, 2, 1, 0.1f, 1, tmp.resolve("x"),
                        false, false)).getMessage());
        assertEquals("--task ner=a.conll: expected KIND=TRAIN,DEV, for example ner=train.conll,dev.conll",
                assertThrows(InfuseException.class, () -> MultiTaskJob.Part.parse("ner=a.conll")).getMessage());
        assertThrows(InfuseException.class, () -> MultiTaskJob.Part.parse("nope=a,b"));
    }
}
