package dev.infuse.inject.zeo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Freeze;
import dev.infuse.train.KillAfter;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.StepReport;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ZEO through the ordinary trainer: frozen vectors, the model learns, exact resume, clear errors. */
class ZeoTrainingTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path vectors;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = ZeoFixtures.bundle(tmp.resolve("bundle"), true);
        vectors = tmp.resolve("v.zeo");
        try (MaskedLm lm = MaskedLm.load(model.toString())) {
            VectorBuilder.build(lm, DomainBundle.open(bundle), VectorBuilder.Options.defaults(), vectors, s -> { });
        }
    }

    static TrainSettings settings(int steps, int saveEvery) {
        return new TrainSettings(2, 12, 2e-3f, 1, LrSchedule.Kind.LINEAR, 0.5f, 2, Freeze.none(), saveEvery, steps, 11, 0.01f, 0.15);
    }

    static PretrainJob job(ZeoSpec spec, TrainSettings s, Path out, boolean resume) {
        return new PretrainJob(model.toString(), new BundleCorpus(DomainBundle.open(bundle)), "entity", InstanceStream.Packing.PACKED, s,
                out, resume, false, spec);
    }

    static final class Losses implements TrainListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public void onStep(StepReport r) {
            values.add(r.loss());
        }
    }

    @Test
    void knowledgeVectorsStayFrozenWhileTheModelTrains() throws Exception {
        byte[] before = Files.readAllBytes(vectors);
        KnowledgeVectors v0 = KnowledgeVectors.read(vectors);
        Losses losses = new Losses();
        Path out = tmp.resolve("tri");
        Pretraining.run(job(new ZeoSpec(1, vectors, 1f, 1), settings(4, 0), out, false), List.of(losses), QUIET);
        assertTrue(losses.values.stream().allMatch(l -> l > 0 && Double.isFinite(l)), "triplet losses " + losses.values);
        assertArrayEquals(before, Files.readAllBytes(vectors), "the vector file is untouched");
        KnowledgeVectors v1 = KnowledgeVectors.read(vectors);
        for (int r = 0; r < v0.size(); r++) {
            assertArrayEquals(v0.vector(r), v1.vector(r));
        }
        try (BertModel a = Checkpoints.readHuggingFace(model); BertModel b = Checkpoints.readHuggingFace(out)) {
            String w = "bert.encoder.layer.1.output.dense.weight";
            assertFalse(java.util.Arrays.equals(a.parameter(w).toFloatArray(), b.parameter(w).toFloatArray()), "the model moved");
        }
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("vectors-sha256"));
    }

    @Test
    void aKilledJointRunResumesBitIdentically() throws Exception {
        ZeoSpec spec = new ZeoSpec(2, vectors, 0.5f, 2);
        TrainSettings s = settings(6, 2);
        Pretraining.run(job(spec, s, tmp.resolve("straight"), false), List.of(), QUIET);
        Path killed = tmp.resolve("killed");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(spec, s, killed, false), List.of(new KillAfter(3)), QUIET));
        Pretraining.run(job(spec, s, killed, true), List.of(), QUIET);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight/model.safetensors")), Files.readAllBytes(killed.resolve("model.safetensors")));
    }

    @Test
    void negativesFromAnUntypedBundleAreAClearError() throws Exception {
        Path untyped = ZeoFixtures.bundle(tmp.resolve("untyped"), false);
        Path v = tmp.resolve("untyped.zeo");
        try (MaskedLm lm = MaskedLm.load(model.toString())) {
            VectorBuilder.build(lm, DomainBundle.open(untyped), VectorBuilder.Options.defaults(), v, s -> { });
        }
        InfuseException e = assertThrows(InfuseException.class,
                () -> Pretraining.run(job(new ZeoSpec(2, v, 1f, 1), settings(1, 0), tmp.resolve("untyped-run"), false), List.of(), QUIET));
        assertTrue(e.getMessage().contains("have no type"), e.getMessage());
        e = assertThrows(InfuseException.class, () -> new ZeoSpec(1, null, 1f, 1));
        assertEquals("--inject 1 needs --vectors FILE (build one with infuse zeo vectors)", e.getMessage());
    }
}
