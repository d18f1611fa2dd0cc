package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse zeo vectors|instances} and {@code pretrain --method zeo} end to end on a tiny model. */
class ZeoCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path vectors;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        Files.write(bundle.resolve("entities.jsonl"), List.of(
                "{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"animal\",\"description\":\"the cat sat on the mat\"}",
                "{\"id\":\"dog\",\"name\":\"dog\",\"type\":\"animal\",\"description\":\"a dog ran in the park\"}",
                "{\"id\":\"sun\",\"name\":\"sun\",\"type\":\"thing\",\"description\":\"the sun rises in the east\"}",
                "{\"id\":\"mat\",\"name\":\"mat\",\"type\":\"thing\"}"));
        Files.write(bundle.resolve("corpus.txt"), List.of("the cat sat on the mat", "a dog ran in the park", "", "the sun rises in the east"));
        Files.write(bundle.resolve("triples.tsv"), List.of("cat\tsat_on\tmat"));
        vectors = tmp.resolve("v.zeo");
        CliRun r = CliRun.of("zeo", "vectors", "--model", model.toString(), "--domain", bundle.toString(), "--output", vectors.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipped 1 of 4 entities without a description"), r.err());
    }

    @Test
    void vectorsWithoutAnyDescriptionIsOneClearError() throws Exception {
        Path b = tmp.resolve("nodesc");
        Files.createDirectories(b);
        Files.write(b.resolve("entities.jsonl"), List.of("{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"animal\"}"));
        CliRun r = CliRun.of("zeo", "vectors", "--model", model.toString(), "--domain", b.toString(), "--output", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().startsWith("infuse: none of the 1 entities of"), r.err());
    }

    @Test
    void instancesDumpLinksMentionsWithOtherTypedNegatives() throws Exception {
        Path tpl = tmp.resolve("templates.txt");
        Files.write(tpl, List.of("{name} is a {type} .", "{head} {relation} the {tail} ."));
        Path dump = tmp.resolve("instances.jsonl");
        CliRun r = CliRun.of("zeo", "instances", "--model", model.toString(), "--domain", bundle.toString(), "--vectors", vectors.toString(),
                "--templates", tpl.toString(), "--neg-entity", "3", "--max-seq-length", "16", "--dump", dump.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> type = Map.of("cat", "animal", "dog", "animal", "sun", "thing");
        int mentions = 0;
        for (String line : Files.readAllLines(dump)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(o.getAsJsonArray("tokens").size() <= 16);
            for (JsonElement e : o.getAsJsonArray("mentions")) {
                JsonObject m = e.getAsJsonObject();
                String entity = m.get("entity").getAsString();
                assertEquals(3, m.getAsJsonArray("negatives").size());
                for (JsonElement n : m.getAsJsonArray("negatives")) {
                    assertNotEquals(type.get(entity), type.get(n.getAsString()), line);
                }
                mentions++;
            }
        }
        assertEquals(3 + 3 + 1, mentions, "corpus cat dog sun, template sentences for cat dog sun, the triple's cat (mat has no vector)");
    }

    @Test
    void aMalformedTemplateFileNamesItsLine() throws Exception {
        Path tpl = tmp.resolve("bad.txt");
        Files.write(tpl, List.of("{name} is a {type} .", "{head} was built by {maker} ."));
        CliRun r = CliRun.of("zeo", "instances", "--model", model.toString(), "--domain", bundle.toString(), "--vectors", vectors.toString(),
                "--templates", tpl.toString(), "--dump", tmp.resolve("d.jsonl").toString());
        assertEquals(1, r.code());
        assertEquals("infuse: " + tpl + ":2: unknown placeholder {maker}; expected {name}, {type}, {head}, {tail} or {relation}", r.err().strip());
    }

    @Test
    void pretrainWithZeoTrainsAFewSteps() {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("pretrain", "--method", "zeo", "--inject", "2", "--vectors", vectors.toString(), "--contrastive-weight", "0.5",
                "--model", model.toString(), "--domain", bundle.toString(), "--max-steps", "2", "--batch-size", "2", "--max-seq-length", "16",
                "--output-dir", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.safetensors")));
        CliRun bad = CliRun.of("pretrain", "--method", "zeo", "--inject", "1", "--model", model.toString(), "--domain", bundle.toString(),
                "--max-steps", "2", "--output-dir", tmp.resolve("bad").toString());
        assertEquals(1, bad.code());
        assertEquals("infuse: --inject 1 needs --vectors FILE (build one with infuse zeo vectors)", bad.err().strip());
    }

    @Test
    void runChainsVectorsInstancesTrainingAndProbes() throws Exception {
        Path out = tmp.resolve("pipeline");
        Path probes = tmp.resolve("probes.jsonl");
        Files.writeString(probes, "{\"sub_label\":\"cat\",\"obj_label\":\"mat\",\"masked_sentences\":[\"the cat sat on the [MASK]\"],"
                + "\"relation\":\"on\",\"bucket\":\"rare\"}\n");
        CliRun missing = CliRun.of("zeo", "run", "--model", model.toString(), "--domain", bundle.toString(), "--output-dir",
                out.toString(), "--max-steps", "2", "--probes", tmp.resolve("nope.jsonl").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.jsonl is not a file") && !Files.exists(out), missing.err());
        CliRun r = CliRun.of("zeo", "run", "--model", model.toString(), "--domain", bundle.toString(), "--output-dir", out.toString(),
                "--max-steps", "2", "--probes", probes.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("vectors.zeo", "vectors.zeo.provenance.json", "instances.jsonl", "model/model.safetensors")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertTrue(r.out().contains("bucket rare") && r.out().contains("overall"), r.out());
    }
}
