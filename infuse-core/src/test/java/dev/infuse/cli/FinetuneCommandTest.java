package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** infuse finetune and infuse eval end to end on a tiny model, and their one-line errors. */
class FinetuneCommandTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
    }

    @Test
    void finetuneThenEvalReportsTheSameDevScore() throws Exception {
        Path train = TinyTasks.ner(tmp.resolve("train.conll"), 60, 1);
        Path dev = TinyTasks.ner(tmp.resolve("dev.conll"), 15, 2);
        Path out = tmp.resolve("run");
        CliRun ft = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", train.toString(), "--dev",
                dev.toString(), "--output-dir", out.toString(), "--max-steps", "40", "--eval-every", "20", "--lr", "2e-3",
                "--batch-size", "8", "--max-seq-length", "32", "--json");
        assertEquals(0, ft.code(), ft.err());
        JsonObject r = JsonParser.parseString(ft.out()).getAsJsonObject();
        for (String f : new String[] {"config.json", "model.safetensors", "README.md", "task.json", "provenance.json", "metrics.jsonl",
                "dev_scores.jsonl"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertEquals(40, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        CliRun ev = CliRun.of("eval", "--model", out.toString(), "--test", dev.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        JsonObject e = JsonParser.parseString(ev.out()).getAsJsonObject();
        assertEquals(r.getAsJsonObject("dev").get("f1").getAsDouble(), e.get("f1").getAsDouble(), 0.0);
    }

    @Test
    void dictionaryBaselineNeedsNoModel() throws Exception {
        Path train = Files.writeString(tmp.resolve("d-train.conll"), "the\tO\ncat\tB-animal\n\nsun\tB-nature\n");
        Path test = Files.writeString(tmp.resolve("d-test.conll"), "a\tO\ncat\tB-animal\nsun\tB-animal\n");
        CliRun r = CliRun.of("eval", "--dictionary", train.toString(), "--test", test.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        // Predicted: cat/animal (right), sun/nature (wrong type): P = 1/2, R = 1/2.
        assertEquals(0.5, JsonParser.parseString(r.out()).getAsJsonObject().get("f1").getAsDouble(), 1e-12);
    }

    @Test
    void userErrorsAreOneLine() throws Exception {
        Path good = TinyTasks.ner(tmp.resolve("g.conll"), 5, 3);
        Path bad = Files.writeString(tmp.resolve("bad.conll"), "the\tO\ncat\n");
        CliRun r = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", bad.toString(), "--dev", good.toString(),
                "--output-dir", tmp.resolve("o1").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().strip().endsWith(bad + ":2: expected token<TAB>tag, found \"cat\""), r.err());
        Path empty = Files.writeString(tmp.resolve("empty.conll"), "\n\n");
        r = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", good.toString(), "--dev", empty.toString(),
                "--output-dir", tmp.resolve("o2").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("has no examples; early stopping needs a dev set"), r.err());
        r = CliRun.of("finetune", "--model", model.toString(), "--task", "pos", "--train", good.toString(), "--dev", good.toString(),
                "--output-dir", tmp.resolve("o3").toString());
        assertTrue(r.code() == 1 && r.err().contains("unknown --task \"pos\""), r.err());
        r = CliRun.of("eval", "--model", model.toString(), "--test", good.toString());
        assertTrue(r.code() == 1 && r.err().contains("is not a fine-tuned model"), r.err());
        // 0 is the job's "same as --lr"; typed on the command line it is a mistake, not a request for that default
        r = CliRun.of("finetune", "--model", model.toString(), "--task", "ner", "--train", good.toString(), "--dev", good.toString(),
                "--output-dir", tmp.resolve("o4").toString(), "--head-lr", "0");
        assertTrue(r.code() == 1 && r.err().strip().equals("infuse: --head-lr must be positive and finite, found 0.0"), r.err());
        assertTrue(!Files.exists(tmp.resolve("o4")), "nothing written");
    }
}
