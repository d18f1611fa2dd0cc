package dev.infuse.inject.kadapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.Safetensors;
import dev.infuse.task.relation.RelationExample;
import dev.infuse.train.KillAfter;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-Adapter pretraining on a tiny bundle: the encoder untouched, a killed run resumed to the byte, the examples as T-REx-rc's. */
public class KadapterTrainingTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;

    /** Entities and triples over TinyRun's words; every corpus line mentions both ends of one triple. */
    public static Path bundle(Path dir, boolean coMentioned) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("entities.jsonl"), List.of(
                "{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"animal\"}", "{\"id\":\"dog\",\"name\":\"dog\",\"type\":\"animal\"}",
                "{\"id\":\"birds\",\"name\":\"birds\",\"type\":\"animal\"}", "{\"id\":\"mat\",\"name\":\"mat\",\"type\":\"thing\"}",
                "{\"id\":\"park\",\"name\":\"park\",\"type\":\"place\"}", "{\"id\":\"sea\",\"name\":\"sea\",\"type\":\"place\"}",
                "{\"id\":\"rivers\",\"name\":\"rivers\",\"type\":\"thing\"}", "{\"id\":\"sun\",\"name\":\"sun\",\"type\":\"thing\"}"));
        Files.write(dir.resolve("triples.tsv"), List.of("cat\tsits_on\tmat", "dog\tsits_on\tmat", "dog\truns_in\tpark", "cat\truns_in\tpark",
                "rivers\tflows_to\tsea", "birds\tsings_at\tsun"));
        List<String> corpus = new ArrayList<>();
        List<String> lines = coMentioned
                ? List.of("the cat sat on the mat", "the dog sat on the mat", "a dog ran in the park", "a cat ran in the park",
                        "cold rivers run to the sea", "birds sing when the sun rises")
                : List.of("the cat sat on the red apples", "a dog ran", "cold rivers run", "the sun rises in the east");
        for (int i = 0; i < 4; i++) {
            corpus.addAll(lines);
            corpus.add("");
        }
        Files.write(dir.resolve("corpus.txt"), corpus);
        return dir;
    }

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = bundle(tmp.resolve("bundle"), true);
    }

    static KadapterJob job(Path out, boolean resume, int saveEvery) {
        return new KadapterJob(model.toString(), bundle, out, KadapterTest.tiny(), RelationExamples.Label.RELATION, 1, 6, 4, 16, 5e-3f, 0.1f,
                saveEvery, 3, resume, false);
    }

    @Test
    void examplesAreSentencesMentioningBothEndsMarkedAtTheirFirstMention() {
        RelationExamples.Built b = RelationExamples.build(DomainBundle.open(bundle), RelationExamples.Label.RELATION, 1, 1000, 1);
        assertEquals(24, b.train().size() + b.dev().size(), "six sentences, four times");
        assertEquals(2, b.dev().size(), "a tenth held out");
        assertEquals(List.of("runs_in", "sits_on", "flows_to", "sings_at"), List.copyOf(b.kept().keySet()));
        RelationExample x = RelationExamples.example("He said: (cat) sat on mat.", 0, 26, new int[] {10, 13}, new int[] {22, 25}, "r");
        assertEquals(List.of("He", "said:", "(", "cat", ")", "sat", "on", "mat", "."), x.tokens());
        assertEquals(List.of(3, 4, 7, 8), List.of(x.headStart(), x.headEnd(), x.tailStart(), x.tailEnd()));
        RelationExamples.Built typed = RelationExamples.build(DomainBundle.open(bundle), RelationExamples.Label.RELATION_TAIL_TYPE, 5, 1000, 1);
        assertEquals(List.of("runs_in:place", "sits_on:thing"), List.copyOf(typed.kept().keySet()));
        assertEquals(2, typed.dropped().size(), "flows_to:place and sings_at:thing have 4 sentences each, fewer than 5");
        InfuseException one = assertThrows(InfuseException.class,
                () -> RelationExamples.build(DomainBundle.open(bundle), RelationExamples.Label.RELATION, 9, 1000, 1));
        assertTrue(one.getMessage().endsWith("only 0 labels () of --labels relation keep at least 9 examples; relation classification needs two"
                + " (labels with fewer: 4); try --labels relation+tail-type"), one.getMessage());
    }

    @Test
    void theEncoderStaysByteIdenticalAndAKilledRunResumesBitIdentically() throws Exception {
        Path straight = tmp.resolve("straight");
        KadapterTraining.Result r = KadapterTraining.run(job(straight, false, 2), List.of(), QUIET);
        try (MaskedLm base = MaskedLm.load(model.toString())) {
            assertEquals(base.fingerprint(), r.encoderSha256(), "the encoder after the run (checked inside it) is the base model, byte for byte");
        }
        assertTrue(Files.readString(straight.resolve("provenance.json")).contains("\"encoder_unchanged\": true"));
        assertTrue(r.dev() != null && Files.exists(straight.resolve("dev.jsonl")), "the held-out sentences are scored and kept");
        Path killed = tmp.resolve("killed");
        TrainListener kill = new KillAfter(3);
        assertThrows(IllegalStateException.class, () -> KadapterTraining.run(job(killed, false, 2), List.of(kill), QUIET));
        assertTrue(Files.exists(killed.resolve("checkpoint")), "the checkpoint of step 2");
        KadapterTraining.run(job(killed, true, 2), List.of(), QUIET);
        for (String f : List.of(KadapterKnowledge.WEIGHTS, "head.safetensors", "dev_scores.json")) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), killed.resolve(f)), f + " after kill and resume");
        }
        var up = Safetensors.read(straight.resolve(KadapterKnowledge.WEIGHTS)).get("adapter.2.up_project.bias");
        assertTrue(up.data().get(0) != 0f, "the adapter trained");
        // the run's directory gives the tasks its adapter, as the comparison uses it
        try (MaskedLm lm = MaskedLm.load(model.toString()); var k = new SavedKnowledge("kadapter", straight).open(lm, 16, 1)) {
            assertEquals(1, k.outputModules().size());
            assertTrue(new SavedKnowledge("kadapter", straight).identity().containsKey("kadapter-kadapter_model.safetensors-sha256"));
        }
    }

    @Test
    void aBundleWithoutSentencesMentioningBothEndsIsOneLine() throws Exception {
        Path none = bundle(tmp.resolve("none"), false);
        InfuseException e = assertThrows(InfuseException.class,
                () -> KadapterTraining.run(new KadapterJob(model.toString(), none, tmp.resolve("out-none"), KadapterTest.tiny(),
                        RelationExamples.Label.RELATION, 1, 2, 4, 16, 1e-3f, 0f, 0, 1, false, false), List.of(), QUIET));
        assertEquals(none + ": no corpus sentence mentions both the head and the tail of any of its 6 triples, so K-Adapter's relation"
                + " classification has no example", e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("out-none")), "nothing written");
    }
}
