package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infuse finetune --kg and infuse eval on a tiny model: the graph and its settings travel with the run. */
class KbertCommandTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
    }

    @Test
    void finetuneWithAGraphRecordsItAndEvalReusesIt() throws Exception {
        Path train = TinyTasks.ner(tmp.resolve("train.conll"), 60, 1);
        Path dev = TinyTasks.ner(tmp.resolve("dev.conll"), 15, 2);
        Path graph = Files.writeString(tmp.resolve("tiny.spo"), "cat\tsat on\tmat\ncat\tran in\tpark\nsun\trises in\teast\n");
        Path out = tmp.resolve("run");
        CliRun ft = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", train.toString(), "--dev",
                dev.toString(), "--output-dir", out.toString(), "--max-steps", "20", "--eval-every", "20", "--lr", "2e-3",
                "--batch-size", "8", "--max-seq-length", "32", "--kg", graph.toString(), "--kg-branches", "1", "--json");
        assertEquals(0, ft.code(), ft.err());
        assertTrue(ft.err().contains("infuse: kbert: graph " + graph + " (2 subjects, 3 triples, 1 branches a subject, visible matrix on); training:"),
                ft.err());
        JsonObject task = JsonParser.parseString(Files.readString(out.resolve("task.json"))).getAsJsonObject().getAsJsonArray("knowledge").get(0)
                .getAsJsonObject();
        assertEquals("kbert", task.get("name").getAsString());
        assertEquals("knowledge_graph.spo", task.get("file").getAsString());
        assertEquals(1, task.get("branches").getAsInt());
        assertTrue(task.get("visible_matrix").getAsBoolean());
        assertEquals(42, task.get("seed").getAsLong());
        assertEquals(Files.readString(graph), Files.readString(out.resolve("knowledge_graph.spo")));
        String provenance = Files.readString(out.resolve("provenance.json"));
        assertTrue(provenance.contains("\"kg-branches\": 1") && provenance.contains("kg-sha256"), provenance);

        JsonObject r = JsonParser.parseString(ft.out()).getAsJsonObject();
        CliRun ev = CliRun.of("eval", "--model", out.toString(), "--test", dev.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.err().contains("visible matrix on); test:"), ev.err());
        assertEquals(r.getAsJsonObject("dev").get("f1").getAsDouble(), JsonParser.parseString(ev.out()).getAsJsonObject().get("f1").getAsDouble(), 0.0,
                "eval builds the very trees the run's dev evaluation saw");

        CliRun noise = CliRun.of("eval", "--model", out.toString(), "--test", dev.toString(), "--kg-no-visible-matrix", "--json");
        assertEquals(0, noise.code(), noise.err());
        assertTrue(noise.err().contains("visible matrix off"), noise.err());
    }

    @Test
    void kgFlagsWithoutAGraphOrWithATableAreOneLineErrors() throws Exception {
        Path good = TinyTasks.ner(tmp.resolve("g.conll"), 5, 3);
        CliRun r = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", good.toString(), "--dev", good.toString(),
                "--output-dir", tmp.resolve("o1").toString(), "--kg-branches", "3");
        assertEquals(1, r.code(), r.err());
        assertEquals("infuse: --kg-branches and --kg-no-visible-matrix need a graph: give --kg FILE", r.err().strip());
        Path bad = Files.writeString(tmp.resolve("bad.spo"), "cat\tis\n");
        r = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", good.toString(), "--dev", good.toString(),
                "--output-dir", tmp.resolve("o2").toString(), "--kg", bad.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().strip().endsWith(bad + ":1: found 2 tab-separated fields, expected 3 non-empty (subject, predicate, object)"), r.err());
        assertFalse(Files.exists(tmp.resolve("o2").resolve("task.json")));
    }
}
