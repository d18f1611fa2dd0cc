package dev.infuse.inject.ernie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Engines;
import dev.infuse.inject.Knowledge;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.Objectives;
import dev.infuse.inject.SavedKnowledge;
import dev.infuse.inject.TextRow;
import dev.infuse.kge.KgIds;
import dev.infuse.kge.KgeConfig;
import dev.infuse.kge.KgeModel;
import dev.infuse.kge.KgeTable;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.ForwardContext;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.Freeze;
import dev.infuse.train.KillAfter;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import dev.infuse.train.ObjectiveSum;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TinyRun;
import dev.infuse.train.TrainListener;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ERNIE's fusion layers, its noisy alignments, the dEA loss, and a pretraining run that resumes and loads back as a plug-in. */
class ErnieTest {
    static final List<String> ENTITIES = List.of("cat", "dog", "sun", "sea", "mat", "park");
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path tmp;
    static Path model;
    static Path bundle;
    static Path kge;

    /** A tiny model, a bundle naming {@link #ENTITIES} (and one entity with no KG vector), and 8-dimensional TransE vectors. */
    record Fixture(Path model, Path bundle, Path kge) {
        static Fixture in(Path dir) throws java.io.IOException {
            TinyRun.oneThread();
            Path model = TinyRun.model(dir.resolve("tiny"));
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            List<String> lines = new java.util.ArrayList<>();
            for (String e : ENTITIES) {
                lines.add("{\"id\":\"" + e + "\",\"name\":\"" + e + "\",\"type\":\"thing\"}");
            }
            lines.add("{\"id\":\"nowhere\",\"name\":\"nowhere\",\"type\":\"thing\"}"); // named, but not in the KG table
            Files.write(bundle.resolve("entities.jsonl"), lines);
            Files.write(bundle.resolve("corpus.txt"), Files.readAllLines(TinyRun.corpus(dir.resolve("c.txt"))));
            Path kge = Files.createDirectories(dir.resolve("kge"));
            KgeConfig c = new KgeConfig(KgeConfig.Model.TRANSE, 1, 8, 12f, 0.5f);
            try (KgeModel m = KgeModel.init(c, ENTITIES.size(), 1, 3)) {
                KgeTable.write(kge, m, new KgIds(ENTITIES, List.of("near")));
            }
            return new Fixture(model, bundle, kge);
        }

        EntityVectors vectors() {
            return EntityVectors.fromKge(kge, bundle);
        }

        /** MLM + dEA with fusion in the top 2 layers and {@code heads} entity heads, pretrained into {@code out}. */
        PretrainJob job(Path out, boolean resume, int heads) {
            Objective.Spec spec = new ObjectiveSum.Spec(List.of("mlm", "dea"), List.of(1f, 1f),
                    List.of(Objective.Spec.MLM, new DeaSpec(new ErnieSpec(kge, bundle, 2, heads), 11)));
            return new PretrainJob(model.toString(), new BundleCorpus(DomainBundle.open(bundle)), "token", InstanceStream.Packing.LINE, settings(), out,
                    resume, false, spec);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        Fixture f = Fixture.in(tmp);
        model = f.model();
        bundle = f.bundle();
        kge = f.kge();
    }

    static EntityVectors vectors() {
        return EntityVectors.fromKge(kge, bundle);
    }

    /** [CLS] the cat sat on the mat [SEP], twice; row 0's "cat" (position 2) aligned with table row {@code row} when row >= 0. */
    static BertInput input(int row) {
        var tok = TinyRun.tokenizer();
        long[] ids = {tok.clsId(), tok.tokenToId("the"), tok.tokenToId("cat"), tok.tokenToId("sat"), tok.tokenToId("on"), tok.tokenToId("the"),
                tok.tokenToId("mat"), tok.sepId()};
        BertInput in = BertInput.builder().setInputIds(new long[][] {ids, ids.clone()}).build();
        if (row < 0) {
            return in;
        }
        return in.withContext(new ForwardContext(List.of(Map.of(EntityAlignment.KEY, new EntityAlignment(new int[] {2}, new int[] {row})), Map.of())));
    }

    static float[] forward(BertModel m, BertInput in) {
        try (NDManager s = Engines.newManager()) {
            return m.forward(s, in, false).lastHidden().toFloatArray();
        }
    }

    @Test
    void tokensWithNoEntityRunThePlainLayer() {
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieFusion f = ErnieFusion.create(vectors(), 2, lm.model().config(), 5)) {
            float[] plain = forward(lm.model(), input(0));
            lm.model().addHook(f);
            assertArrayEquals(plain, forward(lm.model(), input(-1)), 0f, "no alignment: the plain model, bit for bit");
            float[] fused = forward(lm.model(), input(0));
            int h = lm.model().config().hiddenSize();
            // row 1 has no entity; attention is within a row, so it is untouched
            for (int i = 8 * h; i < 16 * h; i++) {
                assertEquals(plain[i], fused[i], 0f, "row 1 has no entity");
            }
            float moved = 0;
            for (int i = 0; i < 8 * h; i++) {
                moved = Math.max(moved, Math.abs(plain[i] - fused[i]));
            }
            assertTrue(moved > 1e-4, "the aligned entity changes its row: " + moved);
        }
    }

    @Test
    void withOnlyTheTopLayerFusingOnlyTheAlignedTokenChanges() {
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieFusion f = ErnieFusion.create(vectors(), 1, lm.model().config(), 5)) {
            float[] plain = forward(lm.model(), input(0));
            lm.model().addHook(f);
            float[] fused = forward(lm.model(), input(0));
            int h = lm.model().config().hiddenSize();
            for (int pos = 0; pos < 16; pos++) {
                boolean differs = false;
                for (int k = 0; k < h; k++) {
                    differs |= plain[pos * h + k] != fused[pos * h + k];
                }
                assertEquals(pos == 2, differs, "the feed-forward block is per token: only token 2 of row 0 may change, token " + pos);
            }
            assertFalse(java.util.Arrays.equals(forward(lm.model(), input(0)), forward(lm.model(), input(1))), "another entity, another state");
        }
    }

    @Test
    void theLowerFusionLayersEntityStateReachesTheTopLayer() {
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieFusion f = ErnieFusion.create(vectors(), 2, lm.model().config(), 5)) {
            lm.model().addHook(f);
            float[] before = forward(lm.model(), input(0));
            // the lower fusion layer's entity output only matters through the top layer's W_e
            try (NDArray bump = f.parameters().get(ErnieFusion.name(0, "entity_out.bias")).getManager().ones(new ai.djl.ndarray.types.Shape(8))) {
                f.parameters().get(ErnieFusion.name(0, "entity_out.bias")).addi(bump);
            }
            assertFalse(java.util.Arrays.equals(before, forward(lm.model(), input(0))), "the entity state flows from layer 0 to layer 1");
            assertArrayEquals(forward(lm.model(), input(-1)), forward(lm.model(), input(-1)), 0f);
        }
    }

    @Test
    void savedFusionReadsBackWithTheSameWeightsAndEntities() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("saved-fusion"));
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieFusion f = ErnieFusion.create(vectors(), 2, lm.model().config(), 9)) {
            f.save(dir);
            try (ErnieFusion g = ErnieFusion.read(dir, lm.model().config())) {
                assertEquals(f.parameters().keySet(), g.parameters().keySet());
                for (String k : f.parameters().keySet()) {
                    assertArrayEquals(f.parameters().get(k).toFloatArray(), g.parameters().get(k).toFloatArray(), 0f, k);
                }
                assertArrayEquals(f.entities().vectors(), g.entities().vectors(), 0f);
                assertEquals(2, g.layers());
            }
        }
    }

    @Test
    void onlyTheKgEntitiesTheBundleNamesAreKept() {
        EntityVectors v = vectors();
        assertEquals(ENTITIES.size(), v.size(), "nowhere has a name but no KG vector");
        assertEquals(-1, v.row("nowhere"));
        assertEquals(8, v.dim());
    }

    @Test
    void thePlugInAlignsEachMentionsFirstTokenAndKbertMovesTheAlignment() {
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieKnowledge k = new ErnieKnowledge(ErnieFusion.create(vectors(), 2, lm.model().config(), 1), "x")) {
            TextRow r = new KnowledgeStack(List.of(k)).encode(lm.tokenizer(), "the cat sat on the mat");
            EntityAlignment a = (EntityAlignment) r.extras().get(EntityAlignment.KEY);
            assertArrayEquals(new int[] {2, 6}, a.positions(), "cat and mat, after [CLS]");
            assertArrayEquals(new int[] {k.fusionEntities().row("cat"), k.fusionEntities().row("mat")}, a.rows());
            // a tree that put a branch token after "the" shifts cat and mat one place on
            EntityAlignment moved = a.moved(new int[] {0, 1, -1, 2, 3, 4, 5, 6, 7});
            assertArrayEquals(new int[] {3, 7}, moved.positions());
            assertArrayEquals(a.rows(), moved.rows());
        }
    }

    @Test
    void insideAKbertTreeTheAlignmentFollowsItsToken() {
        var tok = new dev.infuse.text.WordPieceTokenizer(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cook", "visits", "beijing", "today",
                "is", "a", "chef", "capital", "of", "china", "city"), false, false, "test");
        Map<String, List<dev.infuse.inject.kbert.KnowledgeGraph.Branch>> g = new java.util.LinkedHashMap<>();
        g.put("cook", List.of(new dev.infuse.inject.kbert.KnowledgeGraph.Branch("is", "chef")));
        Knowledge kbert = dev.infuse.inject.kbert.KbertKnowledge.of(new dev.infuse.inject.kbert.KbertEncoder(tok,
                dev.infuse.inject.kbert.KnowledgeGraph.of(g, "crafted"), new dev.infuse.inject.kbert.KbertOptions(Path.of("g.spo"), 2, true, 7), 64));
        EntityVectors v = new EntityVectors(List.of("e-beijing"), new float[] {1, 2}, 2, List.of(new EntityVectors.Surface("beijing", "e-beijing", true)));
        try (ErnieKnowledge ernie = new ErnieKnowledge(ErnieFusion.create(v, 1, dev.infuse.model.BertConfig.tiny(tok.vocabSize()), 1), "x")) {
            TextRow r = new KnowledgeStack(List.of(kbert, ernie)).encode(tok, "cook visits beijing today");
            // [CLS] cook is chef visits beijing today [SEP]: beijing moved from 3 to 5
            assertEquals(tok.tokenToId("beijing"), r.encoding().ids()[5]);
            EntityAlignment a = (EntityAlignment) r.extras().get(EntityAlignment.KEY);
            assertArrayEquals(new int[] {5}, a.positions());
            assertArrayEquals(new int[] {0}, a.rows());
        }
    }

    @Test
    void deaKeepsReplacesAndDropsAlignmentsAtItsRates() {
        EntityVectors v = vectors();
        List<MlmBatch.Linked> links = new java.util.ArrayList<>();
        var rng = new java.util.Random(3);
        for (int k = 0; k < 10_000; k++) {
            links.add(new MlmBatch.Linked(0, k, k + 1, ENTITIES.get(k % ENTITIES.size()), rng.nextLong()));
        }
        long[][] ids = {new long[10_001]};
        MlmBatch batch = new MlmBatch(BertInput.builder().setInputIds(ids).build(), new long[0], new long[0], 0, links);
        EntityAlignment a = (EntityAlignment) Alignments.context(batch, v).get(0, EntityAlignment.KEY);
        Map<Integer, Integer> at = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            at.put(a.positions()[i], a.rows()[i]);
        }
        int kept = 0;
        int replaced = 0;
        for (int k = 0; k < links.size(); k++) {
            Integer row = at.get(k);
            if (row == null) {
                continue;
            }
            if (row == v.row(links.get(k).entity())) {
                kept++;
            } else {
                replaced++;
            }
        }
        int dropped = links.size() - kept - replaced;
        assertEquals(0.80, kept / 10_000.0, 0.01, "kept");
        assertEquals(0.05, replaced / 10_000.0, 0.01, "replaced");
        assertEquals(0.15, dropped / 10_000.0, 0.01, "dropped");
        assertEquals(a.size(), Alignments.context(batch, v).get(0, EntityAlignment.KEY) instanceof EntityAlignment b ? b.size() : -1,
                "the same draws again");
    }

    @Test
    void deaLossIsTheCrossEntropyOverTheBatchsEntitiesByHand() {
        EntityVectors v = vectors();
        try (MaskedLm lm = MaskedLm.load(model.toString()); DeaObjective dea = new DeaObjective(v, lm.model().config().hiddenSize(), 4);
                NDManager s = Engines.newManager()) {
            // row 0: cat at 2, mat at 6; row 1: cat at 2
            List<MlmBatch.Linked> links = List.of(new MlmBatch.Linked(0, 2, 3, "cat", 1), new MlmBatch.Linked(0, 6, 7, "mat", 2),
                    new MlmBatch.Linked(1, 2, 3, "cat", 3));
            MlmBatch batch = new MlmBatch(input(-1), new long[0], new long[0], 0, links);
            MlmForward f = new MlmForward(lm.model(), s, batch, false);
            float got = dea.loss(f).getFloat();
            int h = lm.model().config().hiddenSize();
            float[] states = f.lastHidden().toFloatArray();
            float[] w = dea.parameters().get("ernie.dea.weight").toFloatArray(); // (d, H)
            float[] b = dea.parameters().get("ernie.dea.bias").toFloatArray();
            int[] cand = {v.row("cat"), v.row("mat")};
            int[][] mention = {{0, 2, 0}, {0, 6, 1}, {1, 2, 0}}; // row, position, target candidate
            double total = 0;
            for (int[] m : mention) {
                double[] logit = new double[cand.length];
                for (int c = 0; c < cand.length; c++) {
                    for (int j = 0; j < v.dim(); j++) {
                        double p = b[j];
                        for (int k = 0; k < h; k++) {
                            p += w[j * h + k] * states[(m[0] * 8 + m[1]) * h + k];
                        }
                        logit[c] += p * v.vectors()[cand[c] * v.dim() + j];
                    }
                }
                double max = Math.max(logit[0], logit[1]);
                double lse = max + Math.log(Math.exp(logit[0] - max) + Math.exp(logit[1] - max));
                total += lse - logit[m[2]];
            }
            assertEquals(total / 3, got, 1e-5);
        }
    }

    static TrainSettings settings() {
        return new TrainSettings(2, 16, 2e-2f, 1, LrSchedule.Kind.LINEAR, 0.5f, 1, Freeze.none(), 3, 6, 11, 0.01f, 0.15);
    }

    static PretrainJob job(Path out, boolean resume) {
        return new Fixture(model, bundle, kge).job(out, resume, 0);
    }

    @Test
    void mlmPlusDeaResumesBitIdenticallyAndTheModelLoadsWithItsFusion() throws Exception {
        Path straight = tmp.resolve("straight");
        Pretraining.run(job(straight, false), List.of(), QUIET);
        Path killed = tmp.resolve("killed");
        TrainListener kill = new KillAfter(4);
        assertThrows(IllegalStateException.class, () -> Pretraining.run(job(killed, false), List.of(kill), QUIET));
        Pretraining.run(job(killed, true), List.of(), QUIET);
        for (String f : new String[] {"model.safetensors", ErnieFusion.FILE, "checkpoint/optimizer.safetensors"}) {
            assertEquals(-1L, Files.mismatch(straight.resolve(f), killed.resolve(f)), f + " after kill and resume");
        }
        Map<String, HostTensor> saved = Safetensors.read(straight.resolve(ErnieFusion.FILE));
        try (MaskedLm lm = MaskedLm.load(model.toString()); ErnieFusion fresh = ErnieFusion.create(vectors(), 2, lm.model().config(), 11 * 31)) {
            HostTensor trained = saved.get(ErnieFusion.name(0, "entity_in.weight"));
            float[] t = new float[trained.data().remaining()];
            trained.data().duplicate().get(t);
            assertFalse(java.util.Arrays.equals(fresh.parameters().get(ErnieFusion.name(0, "entity_in.weight")).toFloatArray(), t),
                    "the fusion trained");
        }
        try (MaskedLm lm = MaskedLm.load(straight.toString());
                Knowledge k = new SavedKnowledge(ErnieKnowledge.NAME, straight).open(lm, 16, 1)) {
            assertEquals(ErnieKnowledge.NAME, k.name());
            assertEquals(1, k.modules().size());
            TextRow r = new KnowledgeStack(List.of(k)).encode(lm.tokenizer(), "the sun rises in the east");
            assertTrue(r.extras().get(EntityAlignment.KEY) instanceof EntityAlignment a && a.size() == 1, "sun is aligned");
        }
    }

    @Test
    void aFineTuneWithTheFusedModelSavesItsFusionAndLoadsBackWithIt() throws Exception {
        Path pretrained = tmp.resolve("for-finetune");
        Pretraining.run(job(pretrained, false), List.of(), QUIET);
        Path data = dev.infuse.task.TinyTasks.typing(tmp.resolve("typing.jsonl"), 30, 3);
        Path out = tmp.resolve("finetuned");
        var ft = new dev.infuse.task.FinetuneJob(pretrained.toString(), "typing", data, data, dev.infuse.task.Transfer.FULL, 0, 8, 32, 1e-3f, 1, 4, 4,
                3, 0.1f, 3, out, false, false, 0f, List.of(new SavedKnowledge(ErnieKnowledge.NAME, pretrained)));
        dev.infuse.task.FineTuning.run(ft, List.of(), QUIET);
        assertTrue(Files.isRegularFile(out.resolve(ErnieFusion.FILE)) && Files.isRegularFile(out.resolve(EntityVectors.FILE)));
        assertFalse(Arrays.equals(Files.readAllBytes(pretrained.resolve(ErnieFusion.FILE)), Files.readAllBytes(out.resolve(ErnieFusion.FILE))),
                "the fusion layers trained with the task");
        try (dev.infuse.task.TaskModel m = dev.infuse.task.TaskModel.load(out)) {
            assertEquals("ernie", m.knowledge().describe());
        }
    }

    @Test
    void kgeConcatAppendsTheMeanVectorOfATextsEntities() {
        EntityVectors v = vectors();
        KgeConcat k = new KgeConcat(v);
        try (MaskedLm lm = MaskedLm.load(model.toString()); NDManager s = Engines.newManager()) {
            TextRow both = new KnowledgeStack(List.of(k)).encode(lm.tokenizer(), "the cat sat on the mat");
            TextRow none = new KnowledgeStack(List.of(k)).encode(lm.tokenizer(), "a red apple");
            BertInput in = BertInput.builder().setInputIds(new long[][] {ids(both), java.util.Arrays.copyOf(ids(none), ids(both).length)}).build()
                    .withContext(new ForwardContext(List.of(both.extras(), none.extras())));
            var out = lm.model().forward(s, in, false);
            int h = lm.model().config().hiddenSize();
            assertEquals(h + 8, k.width(h));
            float[] got = k.forward(out.lastHidden(), out, in, false).toFloatArray(); // (2, T, H + 8)
            int t = in.length();
            float[] last = out.lastHidden().toFloatArray();
            for (int pos = 0; pos < t; pos++) {
                for (int j = 0; j < h; j++) {
                    assertEquals(last[pos * h + j], got[pos * (h + 8) + j], 0f, "the encoder's states come first, unchanged");
                }
                for (int j = 0; j < 8; j++) {
                    float mean = (v.vectors()[v.row("cat") * 8 + j] + v.vectors()[v.row("mat") * 8 + j]) / 2;
                    assertEquals(mean, got[pos * (h + 8) + h + j], 1e-6f, "row 0: the mean of cat and mat at every position");
                    assertEquals(0f, got[(t + pos) * (h + 8) + h + j], 0f, "row 1 links nothing");
                }
            }
        }
    }

    static long[] ids(TextRow r) {
        return java.util.Arrays.stream(r.encoding().ids()).asLongStream().toArray();
    }

    @Test
    void aFineTuneWithKgeConcatHasAWiderHeadAndLoadsBackWithIt() throws Exception {
        Path data = dev.infuse.task.TinyTasks.typing(tmp.resolve("typing-kc.jsonl"), 30, 5);
        Path out = tmp.resolve("finetuned-kc");
        var ft = new dev.infuse.task.FinetuneJob(model.toString(), "typing", data, data, dev.infuse.task.Transfer.FULL, 0, 8, 32, 1e-3f, 1, 4, 4,
                3, 0.1f, 3, out, false, false, 0f, List.of(new KgeConcat.Spec(kge, bundle)));
        dev.infuse.task.FineTuning.run(ft, List.of(), QUIET);
        try (dev.infuse.task.TaskModel m = dev.infuse.task.TaskModel.load(out)) {
            assertEquals("kge-concat", m.knowledge().describe());
            assertEquals(m.lm().model().config().hiddenSize() + 8, m.headWidth());
        }
    }

    @Test
    void aRunWithOtherFusionSettingsIsRefusedOnResume() {
        Path out = tmp.resolve("settings");
        Pretraining.run(job(out, false), List.of(), QUIET);
        PretrainJob other = new PretrainJob(model.toString(), new BundleCorpus(DomainBundle.open(bundle)), "token", InstanceStream.Packing.LINE,
                settings(), out, true, false, new ObjectiveSum.Spec(List.of("mlm", "dea"), List.of(1f, 1f),
                        List.of(Objective.Spec.MLM, new DeaSpec(new ErnieSpec(kge, bundle, 1), 11))));
        InfuseException e = assertThrows(InfuseException.class, () -> Pretraining.run(other, List.of(), QUIET));
        assertTrue(e.getMessage().contains("ernie-layers"), e.getMessage());
    }

    @Test
    void badInputIsOneLine() {
        Map<String, Object> values = new HashMap<>();
        values.put("--ernie-embeddings", null);
        values.put("--ernie-layers", null);
        values.put("--ernie-entity-heads", null);
        values.put("--seed", 1L);
        InfuseException none = assertThrows(InfuseException.class,
                () -> Objectives.get("mlm+dea", new Objectives.Args(bundle, values, Set.of())));
        assertEquals("ernie needs --ernie-embeddings DIR, the output of infuse kge train on the bundle's triples", none.getMessage());
        values.put("--ernie-embeddings", tmp.resolve("no-such-dir"));
        InfuseException missing = assertThrows(InfuseException.class,
                () -> Objectives.get("mlm+dea", new Objectives.Args(bundle, values, Set.of("--ernie-embeddings"))).hooks().get(0).identity());
        assertTrue(missing.getMessage().startsWith("--ernie-embeddings " + tmp.resolve("no-such-dir") + " has no embeddings.safetensors"), missing.getMessage());
        values.put("--ernie-embeddings", kge);
        values.put("--ernie-layers", 0);
        assertEquals("--ernie-layers must be at least 1, found 0", assertThrows(InfuseException.class,
                () -> Objectives.get("mlm+dea", new Objectives.Args(bundle, values, Set.of()))).getMessage());
        Map<String, Object> identity = Objectives.get("mlm+dea", new Objectives.Args(bundle,
                Map.of("--ernie-embeddings", kge, "--ernie-layers", 2, "--ernie-entity-heads", 4, "--seed", 1L), Set.of())).hooks().get(0).identity();
        assertEquals(2, identity.get("ernie-layers"));
        assertEquals(4, identity.get("ernie-entity-heads"));
    }
}
