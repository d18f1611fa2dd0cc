package dev.infuse.inject.kepler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.Freeze;
import dev.infuse.train.KillAfter;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.Objective;
import dev.infuse.train.ObjectiveSum;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PlainCorpus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLM + KEPLER on a tiny model: the encoder and the relation vectors train, and a run killed mid-way and resumed ends
 * with the bytes of the run that never stopped, which needs both streams (the corpus and the triples) to resume exactly.
 */
class KeplerResumeTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;
    static Path triples;
    static Path descriptions;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        corpus = TinyRun.corpus(tmp.resolve("corpus.txt"));
        triples = Files.write(tmp.resolve("triples.tsv"), List.of("cat\tsat_on\tmat", "dog\tran_in\tpark", "sun\trises_in\teast",
                "rivers\trun_to\tsea", "birds\tsing_when\tsun", "apples\tgrow_on\ttrees"));
        descriptions = Files.write(tmp.resolve("descriptions.tsv"), List.of("cat\tthe cat sat on the mat", "mat\tthe mat", "dog\ta dog ran in the park",
                "park\tthe park", "sun\tthe sun rises in the east", "east\tthe east", "rivers\tcold rivers run to the sea", "sea\tthe sea",
                "birds\tbirds sing when the sun rises", "apples\tred apples grow on tall trees", "trees\ttall trees"));
    }

    static Objective.Spec spec() {
        return new ObjectiveSum.Spec(List.of("mlm", "kepler"), List.of(1f, 1f),
                List.of(Objective.Spec.MLM, new KeplerSpec(triples, descriptions.toString(), 8, 3, 5)));
    }

    /** Dropout, accumulation (2 micro-batches) and clipping on; the whole encoder trains. */
    static PretrainJob job(Path out, boolean resume) {
        TrainSettings s = new TrainSettings(3, 12, 2e-3f, 2, LrSchedule.Kind.LINEAR, 0.5f, 2, Freeze.none(), 3, 8, 11, 0.01f, 0.15);
        return new PretrainJob(model.toString(), new PlainCorpus(corpus), "token", InstanceStream.Packing.LINE, s, out, resume, false, spec());
    }

    @Test
    void aKilledRunResumesBitIdenticallyAndTheTripleStreamCountsAcrossTheKill() throws Exception {
        Path straight = tmp.resolve("straight");
        Pretraining.run(job(straight, false), List.of(), QUIET);
        Map<String, HostTensor> modules = Safetensors.read(straight.resolve(TrainCheckpoint.MODULES));
        HostTensor counter = modules.get(KeplerObjective.COUNTER);
        assertEquals(16f, counter.data().get(1), "one triple batch beside each of 8 steps x 2 micro-batches");
        assertTrue(modules.containsKey("kepler.relation.sat_on"), modules.keySet().toString());
        assertEquals(6, modules.keySet().stream().filter(k -> k.startsWith(KeplerObjective.RELATION)).count());

        // the relation vectors moved from their initialisation
        try (dev.infuse.model.MaskedLm lm = dev.infuse.model.MaskedLm.load(model.toString());
                Objective fresh = new KeplerSpec(triples, descriptions.toString(), 8, 3, 5).open(lm, false, QUIET)) {
            float[] before = fresh.parameters().get("kepler.relation.sat_on").toFloatArray();
            float[] after = new float[before.length];
            modules.get("kepler.relation.sat_on").data().duplicate().get(after);
            assertNotEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after));
        }

        Path killed = tmp.resolve("killed");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(killed, false), List.of(new KillAfter(5)), QUIET));
        assertEquals(3, TrainCheckpoint.readState(killed.resolve("checkpoint")).step(), "the checkpoint before the kill");
        Pretraining.run(job(killed, true), List.of(), QUIET);
        for (String f : new String[] {TrainCheckpoint.MODULES, "model.safetensors", "checkpoint/optimizer.safetensors"}) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), killed.resolve(f)), f + " after kill and resume");
        }
    }
}
