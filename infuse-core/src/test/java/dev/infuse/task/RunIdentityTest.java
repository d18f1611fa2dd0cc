package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.inject.kbert.KbertKnowledge;
import dev.infuse.inject.kbert.KbertOptions;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.KillAfter;
import dev.infuse.train.TinyRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run and the files it depends on are checked both ways: a resume that drops a setting, a checkpoint whose
 * fields lie outside the run, a saved model whose files were edited or disagree, are each one line.
 */
class RunIdentityTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path train;
    static Path dev;
    static Path graph;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        train = TinyTasks.ner(tmp.resolve("train.conll"), 40, 31);
        dev = TinyTasks.ner(tmp.resolve("dev.conll"), 10, 32);
        graph = Files.writeString(tmp.resolve("g.spo"), "cat\tsat on\tmat\nsun\trises in\teast\n");
    }

    static FinetuneJob job(Path out, boolean resume, KbertOptions kg) {
        return new FinetuneJob(model.toString(), "ner", train, dev, Transfer.FULL, 0, 8, 32, 2e-3f, 1, 30, 10, 100, 0.1f, 3, out, false, resume,
                0f, kg == null ? List.of() : List.of(new KbertKnowledge.Spec(kg)));
    }

    static Path killedWithAGraph(String name) {
        Path out = tmp.resolve(name);
        KbertOptions kg = new KbertOptions(graph, 1, true, 42);
        assertThrows(IllegalStateException.class, () -> FineTuning.run(job(out, false, kg), List.of(new KillAfter(15)), QUIET));
        assertTrue(Files.exists(out.resolve("checkpoint/trainer_state.json")));
        return out;
    }

    @Test
    void aResumeThatDropsTheGraphIsRefused() {
        Path out = killedWithAGraph("drop-kg");
        InfuseException e = assertThrows(InfuseException.class, () -> FineTuning.run(job(out, true, null), List.of(), QUIET));
        assertTrue(e.getMessage().startsWith("cannot resume: " + out + " holds a different run ("), e.getMessage());
        assertTrue(e.getMessage().contains("kg-sha256: ") && e.getMessage().contains(" there, (unset) here"), e.getMessage());
        FineTuning.Result r = FineTuning.run(job(out, true, new KbertOptions(graph, 1, true, 42)), List.of(), QUIET);
        assertEquals(30, r.steps(), "with the same graph it resumes");
    }

    @Test
    void aCheckpointStepPastTheRunsStepsIsRefused() throws Exception {
        Path out = killedWithAGraph("step-500");
        Path state = out.resolve("checkpoint/trainer_state.json");
        Files.writeString(state, Files.readString(state).replaceFirst("\"step\": 10", "\"step\": 500"));
        InfuseException e = assertThrows(InfuseException.class,
                () -> FineTuning.run(job(out, true, new KbertOptions(graph, 1, true, 42)), List.of(), QUIET));
        assertEquals("cannot resume: the checkpoint in " + out.resolve("checkpoint") + " is at step 500, past this run's 30 steps;"
                + " its trainer_state.json was not written by this run", e.getMessage());
    }

    @Test
    void aCursorOutsideTheEpochIsRefused() throws Exception {
        Path out = killedWithAGraph("cursor");
        Path state = out.resolve("checkpoint/trainer_state.json");
        Files.writeString(state, Files.readString(state).replaceFirst("\"index\": \\d+", "\"index\": 799992"));
        InfuseException e = assertThrows(InfuseException.class,
                () -> FineTuning.run(job(out, true, new KbertOptions(graph, 1, true, 42)), List.of(), QUIET));
        assertTrue(e.getMessage().startsWith("cannot resume: the checkpoint's data cursor (epoch 1, batch 799992) lies outside an epoch of 5 batches"),
                e.getMessage());
    }

    @Test
    void anUnfinishedRunIsNotScoredAsAModel() {
        Path out = killedWithAGraph("unfinished");
        assertTrue(Files.exists(out.resolve("config.json")), "the best model so far is in the directory");
        InfuseException e = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertTrue(e.getMessage().startsWith(out + " is not a finished model yet: the run writing it stopped before it finished"), e.getMessage());
    }

    static Path finished(String name) {
        Path out = tmp.resolve(name);
        FineTuning.run(job(out, false, new KbertOptions(graph, 1, true, 42)), List.of(), QUIET);
        return out;
    }

    @Test
    void anEditedGraphBesideTheModelIsRefused() throws Exception {
        Path out = finished("edited-kg");
        TaskModel.load(out).close();
        Files.writeString(out.resolve(KbertKnowledge.FILE), "cat\tsat on\trug\n", java.nio.file.StandardOpenOption.APPEND);
        InfuseException e = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertTrue(e.getMessage().startsWith(out.resolve(KbertKnowledge.FILE) + " was changed after training: its SHA-256 is "), e.getMessage());
    }

    @Test
    void labelMapsThatDisagreeOrRepeatAreRefused() throws Exception {
        Path out = finished("labels");
        Path config = out.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replaceFirst("\"0\": \"[^\"]*\",", ""));
        InfuseException fewer = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertTrue(fewer.getMessage().startsWith(config + " maps "), fewer.getMessage());
        Files.writeString(config, original);
        Path task = out.resolve(TaskModel.TASK_FILE);
        String t = Files.readString(task);
        String second = t.replaceAll("(?s).*\"labels\": \\[\\s*\"[^\"]*\",\\s*(\"[^\"]*\").*", "$1");
        Files.writeString(task, t.replaceFirst("(\"labels\": \\[\\s*)\"[^\"]*\"", "$1" + second));
        InfuseException dup = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertEquals(task + ": label " + second + " appears twice in \"labels\"", dup.getMessage());
        Files.writeString(task, t.replace("\"task\": \"ner\"", "\"task\": \"sentiment\""));
        InfuseException unknown = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertTrue(unknown.getMessage().startsWith(task + " names task \"sentiment\", which infuse does not know"), unknown.getMessage());
    }

    @Test
    void aWeightFileWithNaNIsRefusedNamingFileAndTensor() throws Exception {
        Path out = finished("nan");
        Path weights = out.resolve("model.safetensors");
        java.util.Map<String, HostTensor> all = new java.util.LinkedHashMap<>(Safetensors.read(weights));
        String name = "classifier.bias";
        HostTensor b = all.get(name);
        float[] v = new float[b.data().remaining()];
        b.data().duplicate().get(v);
        v[1] = Float.NaN;
        all.put(name, new HostTensor(b.shape(), java.nio.FloatBuffer.wrap(v)));
        Safetensors.write(weights, all);
        InfuseException e = assertThrows(InfuseException.class, () -> TaskModel.load(out));
        assertEquals(weights + ": tensor classifier.bias holds NaN at flat index 1 of " + v.length + "; a weight file must hold finite numbers only",
                e.getMessage());
    }

    @Test
    void aModelSavedBeforePluginsHadTheirListStillLoads() throws Exception {
        Path out = finished("old-format");
        Path task = out.resolve(TaskModel.TASK_FILE);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(task)).getAsJsonObject();
        com.google.gson.JsonObject kg = o.remove("knowledge").getAsJsonArray().get(0).getAsJsonObject();
        kg.remove("name");
        o.add("kg", kg); // where the graph's entry lived before
        Files.writeString(task, o.toString());
        try (TaskModel m = TaskModel.load(out)) {
            assertEquals("kbert", m.knowledge().describe());
        }
    }
}
