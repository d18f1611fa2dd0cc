package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.task.TinyTasks;
import dev.infuse.task.ner.NerScores;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse predict}, {@code eval --predictions} and {@code probe --predictions} on a tiny fine-tuned model. */
class PredictCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path ner;
    static Path nerTest;
    static Path classify;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        Path train = TinyTasks.ner(tmp.resolve("train.conll"), 40, 1);
        nerTest = TinyTasks.ner(tmp.resolve("test.conll"), 12, 2);
        ner = finetune("ner", train);
        classify = finetune("classify", TinyTasks.classify(tmp.resolve("c.jsonl"), 30, 3));
    }

    static Path finetune(String task, Path train) {
        return finetuneInto(tmp, model, task, train);
    }

    /** A 16-step fine-tune of {@code model} into {@code dir/TASK-run}. */
    static Path finetuneInto(Path dir, Path model, String task, Path train) {
        Path out = dir.resolve(task + "-run");
        CliRun r = CliRun.of("finetune", "--model", model.toString(), "--task", task, "--train", train.toString(), "--dev", train.toString(),
                "--output-dir", out.toString(), "--max-steps", "16", "--lr", "2e-3", "--batch-size", "8", "--max-seq-length", "32");
        assertEquals(0, r.code(), r.err());
        return out;
    }

    /** CoNLL blocks: each sentence's lines split at tabs. */
    static List<List<String[]>> conll(String text) {
        List<List<String[]>> out = new ArrayList<>();
        List<String[]> cur = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (!cur.isEmpty()) {
                    out.add(cur);
                }
                cur = new ArrayList<>();
            } else {
                cur.add(line.split("\t", -1));
            }
        }
        return out;
    }

    @Test
    void evalPredictionsAreWhatItScored() throws Exception {
        Path file = tmp.resolve("scored.conll");
        CliRun r = CliRun.of("eval", "--model", ner.toString(), "--test", nerTest.toString(), "--predictions", file.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<List<String[]>> s = conll(Files.readString(file));
        List<List<String[]>> gold = conll(Files.readString(nerTest));
        assertEquals(gold.size(), s.size());
        NerScores scores = new NerScores();
        for (int i = 0; i < s.size(); i++) {
            List<String> g = new ArrayList<>();
            List<String> p = new ArrayList<>();
            for (int w = 0; w < s.get(i).size(); w++) {
                String[] cols = s.get(i).get(w);
                assertEquals(3, cols.length);
                assertEquals(gold.get(i).get(w)[0], cols[0]);
                assertEquals(gold.get(i).get(w)[1], cols[1]);
                g.add(cols[1]);
                p.add(cols[2]);
            }
            scores.add(g, p);
        }
        double reported = JsonParser.parseString(r.out()).getAsJsonObject().get("f1").getAsDouble();
        assertEquals(reported, scores.micro().f1(), 1e-12, "F1 recomputed from the file");
    }

    @Test
    void predictLabelsPlainTextAndTaskFilesAlike() throws Exception {
        Path conllOut = tmp.resolve("pred.conll");
        CliRun a = CliRun.of("predict", "--model", ner.toString(), "--input", nerTest.toString(), "--output", conllOut.toString());
        assertEquals(0, a.code(), a.err());
        Path text = Files.writeString(tmp.resolve("plain.txt"), "the cat sat, in the park.\n\nbirds ran to the sea\n");
        CliRun b = CliRun.of("predict", "--model", ner.toString(), "--input", text.toString());
        assertEquals(0, b.code(), b.err());
        List<List<String[]>> plain = conll(b.out());
        assertEquals(2, plain.size(), b.out());
        List<String> words = plain.get(0).stream().map(c -> c[0]).toList();
        assertEquals(List.of("the", "cat", "sat", ",", "in", "the", "park", "."), words);
        plain.forEach(sentence -> sentence.forEach(cols -> assertEquals(2, cols.length)));
        // The same sentence labelled as a task file and as text gets the same labels.
        Path one = Files.writeString(tmp.resolve("one.conll"), "birds\tO\nran\tO\nto\tO\nthe\tO\nsea\tO\n");
        CliRun c = CliRun.of("predict", "--model", ner.toString(), "--input", one.toString());
        assertEquals(0, c.code(), c.err());
        List<String[]> fromTask = conll(c.out()).get(0);
        for (int w = 0; w < fromTask.size(); w++) {
            assertEquals(fromTask.get(w)[2], plain.get(1).get(w)[1]);
        }
    }

    @Test
    void nerJsonlWithLogitsAgreesWithTheLabels() throws Exception {
        CliRun r = CliRun.of("predict", "--model", ner.toString(), "--input", nerTest.toString(), "--jsonl", "--logits");
        assertEquals(0, r.code(), r.err());
        JsonObject id2label = JsonParser.parseString(Files.readString(ner.resolve("config.json"))).getAsJsonObject().getAsJsonObject("id2label");
        List<String> lines = r.out().lines().toList();
        assertEquals(12, lines.size());
        for (String l : lines) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            JsonArray logits = o.getAsJsonArray("logits");
            assertEquals(o.getAsJsonArray("words").size(), logits.size());
            for (int w = 0; w < logits.size(); w++) {
                JsonArray row = logits.get(w).getAsJsonArray();
                int best = 0;
                for (int k = 1; k < row.size(); k++) {
                    best = row.get(k).getAsFloat() > row.get(best).getAsFloat() ? k : best;
                }
                assertEquals(id2label.get(Integer.toString(best)).getAsString(), o.getAsJsonArray("labels").get(w).getAsString(), l);
            }
        }
        CliRun conll = CliRun.of("predict", "--model", ner.toString(), "--input", nerTest.toString(), "--logits");
        assertEquals(1, conll.code());
        assertTrue(conll.err().contains("needs --jsonl"), conll.err());
    }

    @Test
    void classificationPredictionsCarryALabelAndItsProbability() throws Exception {
        Path text = Files.writeString(tmp.resolve("c.txt"), "the cat sat\nthe sun rises in the east\n");
        CliRun r = CliRun.of("predict", "--model", classify.toString(), "--input", text.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        List<String> labels = new ArrayList<>();
        JsonParser.parseString(Files.readString(classify.resolve("config.json"))).getAsJsonObject().getAsJsonObject("label2id")
                .keySet().forEach(labels::add);
        for (String l : lines) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertTrue(labels.contains(o.get("label").getAsString()), l);
            double p = o.get("score").getAsDouble();
            assertTrue(p >= 1.0 / labels.size() && p <= 1.0, l);
            assertTrue(!o.has("gold"), "plain text has no gold");
        }
    }

    @Test
    void badInputsAreOneLine() throws Exception {
        Path typing = Files.writeString(tmp.resolve("t.txt"), "a cat\n");
        CliRun dir = CliRun.of("predict", "--model", ner.toString(), "--input", nerTest.toString(), "--output", tmp.toString());
        assertEquals(1, dir.code());
        assertTrue(dir.err().strip().lines().count() == 1 && dir.err().contains("is a directory"), dir.err());
        CliRun missing = CliRun.of("predict", "--model", ner.toString(), "--input", tmp.resolve("none.conll").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        CliRun format = CliRun.of("predict", "--model", ner.toString(), "--input", typing.toString(), "--format", "csv");
        assertEquals(1, format.code());
        assertTrue(format.err().contains("unknown --format"), format.err());
        Path typingModel = finetune("typing", TinyTasks.typing(tmp.resolve("ty.jsonl"), 20, 4));
        CliRun spans = CliRun.of("predict", "--model", typingModel.toString(), "--input", typing.toString());
        assertEquals(1, spans.code());
        assertTrue(spans.err().contains("plain text works for ner and classify; a typing model needs its task file"), spans.err());
        CliRun notModel = CliRun.of("predict", "--model", model.toString(), "--input", typing.toString());
        assertEquals(1, notModel.code());
        assertTrue(notModel.err().contains("not a fine-tuned model"), notModel.err());
    }

    @Test
    void probePredictionsListTheTopCandidatesBestFirst() throws Exception {
        Path probes = Files.writeString(tmp.resolve("p.jsonl"), String.join("\n",
                "{\"sub_label\":\"cat\",\"obj_label\":\"mat\",\"masked_sentences\":[\"the cat sat on the [MASK]\"],\"predicate_id\":\"P1\"}",
                "{\"sub_label\":\"sun\",\"obj_label\":\"east\",\"masked_sentences\":[\"the sun rises in the [MASK]\"],\"predicate_id\":\"P2\"}",
                "{\"sub_label\":\"dog\",\"obj_label\":\"zebra\",\"masked_sentences\":[\"a dog ran in the [MASK]\"],\"predicate_id\":\"P1\"}") + "\n");
        Path out = tmp.resolve("probe-pred.jsonl");
        CliRun r = CliRun.of("probe", "--model", model.toString(), "--probes", probes.toString(), "--predictions", out.toString(), "--top-k", "5");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            JsonArray top = o.getAsJsonArray("top_k");
            assertTrue(top != null, lines.get(i));
            assertEquals(5, top.size());
            for (int k = 1; k < 5; k++) {
                assertTrue(top.get(k - 1).getAsJsonObject().get("prob").getAsDouble() >= top.get(k).getAsJsonObject().get("prob").getAsDouble());
            }
            int rank = o.get("rank").getAsInt();
            boolean first = top.get(0).getAsJsonObject().get("token").getAsString().equals(o.get("obj_label").getAsString());
            assertEquals(rank == 1, first, lines.get(i));
        }
        assertTrue(JsonParser.parseString(lines.get(2)).getAsJsonObject().has("skipped"), lines.get(2)); // zebra is [UNK] here
    }
}
