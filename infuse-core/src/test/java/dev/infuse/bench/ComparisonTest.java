package dev.infuse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.task.TinyTasks;
import dev.infuse.task.Transfer;
import dev.infuse.train.TinyRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole comparison on a tiny model and domain: every cell measured, a rerun reuses them all. */
class ComparisonTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path tasks;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = Files.createDirectories(tmp.resolve("domain"));
        Files.write(bundle.resolve("entities.jsonl"), List.of(
                "{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"animal\",\"description\":\"the cat sat on the mat\"}",
                "{\"id\":\"dog\",\"name\":\"dog\",\"type\":\"animal\",\"description\":\"a dog ran in the park\"}",
                "{\"id\":\"sun\",\"name\":\"sun\",\"type\":\"nature\",\"description\":\"the sun rises in the east\"}",
                "{\"id\":\"sea\",\"name\":\"sea\",\"type\":\"nature\",\"description\":\"cold rivers run to the sea\"}"));
        Files.write(bundle.resolve("triples.tsv"), List.of("cat\tsat_on\tsun", "dog\tran_in\tsea", "dog\tsee_also\tcat"));
        Files.write(bundle.resolve("corpus.txt"), List.of("the cat sat on the mat", "a dog ran in the park", "",
                "the sun rises in the east", "cold rivers run to the sea", "birds sing when the sun rises", "the dog sat in the sun"));
        tasks = Files.createDirectories(bundle.resolve("tasks"));
        Files.write(tasks.resolve("probes.jsonl"), List.of(
                probe("cat", "mat", "rare"), probe("sun", "east", "rare"), probe("dog", "park", "frequent"), probe("sea", "rivers", "frequent")));
        Files.createDirectories(tasks.resolve("typing"));
        Files.createDirectories(tasks.resolve("ner"));
        TinyTasks.typing(tasks.resolve("typing/train.jsonl"), 40, 1);
        TinyTasks.typing(tasks.resolve("typing/dev.jsonl"), 12, 2);
        TinyTasks.typing(tasks.resolve("typing/test.jsonl"), 12, 3);
        TinyTasks.ner(tasks.resolve("ner/train.conll"), 30, 4);
        TinyTasks.ner(tasks.resolve("ner/dev.conll"), 10, 5);
        TinyTasks.ner(tasks.resolve("ner/test.conll"), 10, 6);
    }

    static String probe(String subject, String answer, String bucket) {
        return "{\"sub_label\":\"" + subject + "\",\"obj_label\":\"" + answer + "\",\"masked_sentences\":[\"the " + subject
                + " is near the [MASK] .\"],\"relation\":\"near\",\"bucket\":\"" + bucket + "\",\"entity\":\"" + subject + "\"}";
    }

    static Budget budget() {
        return new Budget(2, 2, 16, 1, 1e-3f, 1, 0, 0, 0, Transfer.TOP, 32, true, 7f, 16, 1f);
    }

    static Comparison comparison(List<String> methods, Path out) {
        return new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null), methods, List.of("probe", "typing", "ner"),
                List.of(1L, 2L), false, budget(), out, "infuse bench (test)");
    }

    @Test
    void everyMethodMeetsEveryTaskAndARerunReusesTheCells() throws Exception {
        Path out = tmp.resolve("out");
        List<String> methods = List.of("none", "pelt", "kbert", "entity-mask", "zeo:1", "pelt+kbert", "entity-mask+pelt", "lora", "pelt+houlsby",
                "sensebert", "wklm", "libert", "kepler");
        comparison(methods, out).run(new PrintStream(new ByteArrayOutputStream()));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        Set<String> cells = new TreeSet<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            cells.add(f[0] + "/" + f[1]);
        }
        for (String m : methods) {
            for (String t : List.of("probe", "typing", "ner")) {
                assertTrue(cells.contains(m + "/" + t), m + "/" + t + " in " + cells);
            }
        }
        assertTrue(cells.containsAll(List.of("majority/typing", "dictionary/ner")), cells.toString());
        // Two seeds train two typing heads per method; the probes are deterministic and run once.
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("none,typing,accuracy,all,1,")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("none,typing,accuracy,all,2,")));
        assertTrue(Files.exists(out.resolve("report.md")) && Files.exists(out.resolve("chart.png")) && Files.exists(out.resolve("provenance.json")));
        assertTrue(Files.exists(out.resolve("methods/pelt/table.pelt")));
        // A combination runs each part in its own directory; PELT's table is built by the model entity-mask made.
        assertTrue(Files.exists(out.resolve("methods/pelt+kbert/pelt/table.pelt")) && Files.exists(out.resolve("methods/pelt+kbert/kbert/graph.spo")));
        assertTrue(Files.exists(out.resolve("methods/entity-mask+pelt/entity-mask/model.safetensors")));
        assertTrue(Files.exists(out.resolve("methods/sensebert/modules.safetensors")), "SenseBERT's head is kept beside its model");
        assertTrue(Files.readString(out.resolve("methods/entity-mask+pelt/pelt/table.pelt.provenance.json")).contains("entity-mask+pelt/entity-mask"));
        // An adapter method pretrains its adapter on the corpus and leaves PEFT's (or AdapterHub's) files for the tasks.
        assertTrue(Files.exists(out.resolve("methods/lora/adapter_model.safetensors")) && Files.exists(out.resolve("methods/pelt+houlsby/houlsby/adapter_config.json")));
        assertEquals(List.of("cat\tsat on\tsun", "dog\tran in\tsea", "dog\tsee also\tcat"), Files.readAllLines(out.resolve("methods/kbert/graph.spo")));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        comparison(methods, out).run(new PrintStream(log));
        assertEquals(csv, Files.readAllLines(out.resolve("results.csv")));
        String said = log.toString();
        assertEquals(methods.size() * 3, said.split("done before", -1).length - 1, said);
    }

    @Test
    void adapterTransferFineTunesALoraPerCellAndSeed() throws Exception {
        Path out = tmp.resolve("adapter");
        Budget b = budget();
        Budget adapter = new Budget(b.pretrainSteps(), b.pretrainBatch(), b.pretrainLength(), b.pretrainTopLayers(), b.pretrainLr(), b.probeSample(),
                b.trainExamples(), b.devExamples(), b.testExamples(), b.transfer(), b.maxSeqLength(), b.peltRareOnly(), b.peltNorm(),
                b.vectorLength(), b.contrastiveWeight(), 4);
        List<String> methods = List.of("none", "pelt+kbert");
        new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null), methods, List.of("typing", "ner"), List.of(1L, 2L), false,
                adapter, out, "infuse bench --transfer adapter (test)").run(new PrintStream(new ByteArrayOutputStream()));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        for (String m : methods) {
            for (String cell : List.of(",typing,accuracy,all,1,", ",typing,accuracy,all,2,", ",ner,f1,all,1,", ",ner,f1,all,2,")) {
                assertTrue(csv.stream().anyMatch(l -> l.startsWith(m + cell)), m + cell + " in\n" + String.join("\n", csv));
            }
        }
        Path run = out.resolve("methods/pelt+kbert/transfer-ner/seed-2");
        assertTrue(Files.exists(run.resolve("adapter_model.safetensors")) && Files.exists(run.resolve("knowledge_graph.spo"))
                && Files.exists(run.resolve("entity_table.pelt")), "the cell's run keeps its LoRA, graph and table");
        assertTrue(Files.readString(out.resolve("report.md")).contains("a LoRA (r 8, alpha 8, query and value) and the head fine-tuned"));

        // The cells are kept by method and task only: the same directory with linear probes, or other seeds, would read them back as its own.
        InfuseException probe = assertThrows(InfuseException.class, () -> new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null),
                methods, List.of("typing", "ner"), List.of(1L, 2L), false, budget(), out, "x").run(new PrintStream(new ByteArrayOutputStream())));
        assertTrue(probe.getMessage().contains("holds a comparison with other settings (adapterSteps: 4 there, 0 here)"), probe.getMessage());
        InfuseException seeds = assertThrows(InfuseException.class, () -> new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null),
                methods, List.of("typing"), List.of(1L), false, adapter, out, "x").run(new PrintStream(new ByteArrayOutputStream())));
        assertTrue(seeds.getMessage().contains("seeds: [1, 2] there, [1] here"), seeds.getMessage());
        assertEquals(csv, Files.readAllLines(out.resolve("results.csv")), "a refused rerun writes nothing");
        assertFalse(Files.exists(out.resolve(dev.infuse.io.RunLock.FILE)), "a finished comparison leaves no unfinished mark");

        InfuseException twice = assertThrows(InfuseException.class, () -> new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null),
                List.of("none", "pelt+lora"), List.of("typing"), List.of(1L), false, adapter, tmp.resolve("twice"), "x"));
        assertTrue(twice.getMessage().startsWith("--methods pelt+lora with --transfer adapter: the method's lora and the lora each task cell"),
                twice.getMessage());
        assertFalse(Files.exists(tmp.resolve("twice")), "refused before any work");
    }

    @Test
    void badRequestsFailBeforeAnyWork() throws Exception {
        Path out = tmp.resolve("bad");
        InfuseException m = assertThrows(InfuseException.class, () -> comparison(List.of("none", "bogus"), out));
        assertTrue(m.getMessage().contains("unknown method \"bogus\""), m.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty-tasks"));
        InfuseException f = assertThrows(InfuseException.class, () -> new Comparison(model.toString(), bundle,
                TaskFiles.locate(bundle, empty), List.of("none"), List.of("typing"), List.of(1L), false, budget(), out, "x"));
        assertTrue(f.getMessage().contains("typing/train.jsonl"), f.getMessage());
        assertTrue(!Files.exists(out), "nothing written for a refused request");
    }
}
