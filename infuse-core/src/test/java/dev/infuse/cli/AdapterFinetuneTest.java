package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune --adapter: the encoder stays the base model's, the run is saved apart from it (PEFT's files for a LoRA,
 * AdapterHub's for a bottleneck), and eval and predict load it back onto the base model with the same scores.
 */
class AdapterFinetuneTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path train;
    static Path test;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        train = TinyTasks.ner(tmp.resolve("train.conll"), 40, 1);
        test = TinyTasks.ner(tmp.resolve("test.conll"), 12, 2);
    }

    static CliRun finetune(Path out, String... adapter) {
        String[] base = {"finetune", "--model", model.toString(), "--task", "ner", "--train", train.toString(), "--dev", train.toString(),
                "--output-dir", out.toString(), "--max-steps", "12", "--eval-every", "12", "--lr", "5e-3", "--batch-size", "8",
                "--max-seq-length", "32", "--json"};
        String[] all = java.util.Arrays.copyOf(base, base.length + adapter.length);
        System.arraycopy(adapter, 0, all, base.length, adapter.length);
        return CliRun.of(all);
    }

    @Test
    void aLoraRunIsSavedApartFromItsBaseAndEvalReadsItBack() throws Exception {
        Path out = tmp.resolve("lora");
        CliRun r = finetune(out, "--adapter", "lora", "--lora-r", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: training "), r.err());
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no copy of the frozen encoder");
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("adapter_config.json"))).getAsJsonObject();
        assertEquals("LORA", config.get("peft_type").getAsString());
        assertEquals(model.toString(), config.get("base_model_name_or_path").getAsString());
        Map<String, HostTensor> peft = Safetensors.read(out.resolve("adapter_model.safetensors"));
        assertTrue(peft.containsKey("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"), peft.keySet().toString());
        assertTrue(peft.containsKey("base_model.model.classifier.weight"), peft.keySet().toString());
        assertEquals(model.toString(), JsonParser.parseString(Files.readString(out.resolve("task.json"))).getAsJsonObject()
                .get("base_model").getAsString());
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("holds only the adapter and the head") && !card.contains("AutoModelForTokenClassification.from_pretrained(\"DIR\")"),
                card);

        double dev = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("dev").get("f1").getAsDouble();
        CliRun ev = CliRun.of("eval", "--model", out.toString(), "--test", train.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        assertEquals(dev, JsonParser.parseString(ev.out()).getAsJsonObject().get("f1").getAsDouble(), 0.0,
                "the run's own dev score, computed again from the saved adapter on the base model");
        CliRun pr = CliRun.of("predict", "--model", out.toString(), "--input", test.toString());
        assertEquals(0, pr.code(), pr.err());
        assertEquals(12, pr.out().split("\n\n").length);

        CliRun again = finetune(out, "--adapter", "lora", "--lora-r", "4");
        assertEquals(1, again.code(), again.err());
        assertTrue(again.err().contains("is not empty") || again.err().contains("already holds"), again.err());
        assertTrue(Files.exists(out.resolve("adapter_model.safetensors")), "a finished adapter run is never cleared by a rerun");
    }

    @Test
    void bottleneckAdaptersTrainAloneAndLoadBack() throws Exception {
        for (String kind : new String[] {"houlsby", "pfeiffer"}) {
            Path out = tmp.resolve(kind);
            CliRun r = finetune(out, "--adapter", kind, "--adapter-reduction", "8");
            assertEquals(0, r.code(), kind + ": " + r.err());
            assertFalse(Files.exists(out.resolve("model.safetensors")), kind);
            double dev = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("dev").get("f1").getAsDouble();
            CliRun ev = CliRun.of("eval", "--model", out.toString(), "--test", train.toString(), "--json");
            assertEquals(0, ev.code(), kind + ": " + ev.err());
            assertEquals(dev, JsonParser.parseString(ev.out()).getAsJsonObject().get("f1").getAsDouble(), 0.0, kind);
        }
    }

    @Test
    void anAdapterOnTopOfAGraphComposes() {
        Path out = tmp.resolve("kg-lora");
        Path graph = tmp.resolve("g.spo");
        try {
            Files.writeString(graph, "cat\tsat on\tmat\nsun\trises in\teast\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        CliRun r = finetune(out, "--adapter", "lora", "--kg", graph.toString());
        assertEquals(0, r.code(), r.err());
        CliRun ev = CliRun.of("eval", "--model", out.toString(), "--test", test.toString());
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.err().contains("infuse: kbert: graph"), ev.err());
    }
}
