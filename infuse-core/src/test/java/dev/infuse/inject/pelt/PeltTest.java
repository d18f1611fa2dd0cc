package dev.infuse.inject.pelt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.FillMask;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PELT on a tiny model and a hand-made bundle, checked against fill-mask's own forward pass. */
class PeltTest {
    @TempDir
    static Path tmp;
    static MaskedLm lm;
    static Path bundle;

    /** Passages: the first two carry explicit mentions, the rest are matched by name. */
    static final List<String> CORPUS = List.of(
            "{\"id\":\"p1\",\"text\":\"the zorbix ran far on the red mat .\",\"mentions\":[{\"start\":4,\"end\":10,\"entity\":\"zorbix\"}]}",
            "{\"id\":\"p2\",\"text\":\"a blue cat sat on the quux .\",\"mentions\":[{\"start\":22,\"end\":26,\"entity\":\"quux\"}]}",
            "{\"id\":\"p3\",\"text\":\"the zorbix is a red cat and the quux is a blue dog .\",\"mentions\":[]}",
            "{\"id\":\"p4\",\"text\":\"zorbix zorbix ran .\",\"mentions\":[]}",
            "{\"id\":\"p5\",\"text\":\"no entity is here at all .\",\"mentions\":[]}");

    @BeforeAll
    static void setUp() throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(List.of("the", "ran", "far", "on", "red", "mat", ".", "a", "blue", "cat", "sat", "is", "and", "dog", "no",
                "entity", "here", "at", "all", "(", ")", "zor", "##bix", "qu", "##ux"));
        Path v = tmp.resolve("vocab.txt");
        Files.write(v, vocab);
        lm = new MaskedLm(BertModel.random(BertConfig.tiny(vocab.size()), 9), WordPieceTokenizer.load(v), "tiny");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        Files.write(bundle.resolve("entities.jsonl"), List.of(
                "{\"id\":\"zorbix\",\"name\":\"zorbix\",\"aliases\":[],\"type\":\"animal\",\"description\":\"a thing\"}",
                "{\"id\":\"quux\",\"name\":\"quux\",\"aliases\":[],\"type\":\"place\",\"description\":\"a place\"}",
                "{\"id\":\"ghost\",\"name\":\"ghost\",\"aliases\":[],\"type\":\"place\",\"description\":\"never said\"}"));
        Files.write(bundle.resolve("corpus.jsonl"), CORPUS);
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    static PeltOptions small(int chunk) {
        return new PeltOptions(256, 64, Set.of(), 42, 2, chunk, 0);
    }

    @Test
    void vectorsEqualFillMasksTransformAtTheMask() {
        Path out = tmp.resolve("faithful.pelt");
        PeltBuilder.Report r = PeltBuilder.build(lm, DomainBundle.open(bundle), small(4), out, s -> { });
        assertEquals(1, r.entitiesWithoutMentions(), "ghost is never mentioned");
        EntityTable t = EntityTable.read(out);
        assertEquals(List.of("zorbix", "quux"), t.rows().stream().map(EntityTable.Row::id).toList());
        // The same occurrences written out by hand, each mention replaced by one [MASK].
        List<String> zorbix = List.of("the [MASK] ran far on the red mat .", "the [MASK] is a red cat and the quux is a blue dog .",
                "[MASK] zorbix ran .", "zorbix [MASK] ran .");
        List<String> quux = List.of("a blue cat sat on the [MASK] .", "the zorbix is a red cat and the [MASK] is a blue dog .");
        assertArrayEquals(sum(FillMask.maskTransforms(lm, zorbix)), t.sum("zorbix"), 1e-4f);
        assertArrayEquals(sum(FillMask.maskTransforms(lm, quux)), t.sum("quux"), 1e-4f);
        assertEquals(4f, t.count("zorbix"));
        assertEquals(2f, t.count("quux"));
        assertTrue(Files.exists(PeltBuilder.provenanceFile(out)));
        assertFalse(Files.exists(tmp.resolve("faithful.pelt.partial")), "the partial state is removed at the end");
    }

    static float[] sum(float[] flat) {
        int h = lm.model().config().hiddenSize();
        float[] s = new float[h];
        for (int i = 0; i < flat.length; i++) {
            s[i % h] += flat[i];
        }
        return s;
    }

    @Test
    void aKilledBuildResumesToTheSameTable() throws IOException {
        Path whole = tmp.resolve("whole.pelt");
        PeltBuilder.build(lm, DomainBundle.open(bundle), small(2), whole, s -> { });
        Path resumed = tmp.resolve("resumed.pelt");
        RuntimeException kill = new RuntimeException("killed");
        assertThrows(RuntimeException.class, () -> PeltBuilder.build(lm, DomainBundle.open(bundle), small(2), resumed, s -> { },
                chunks -> {
                    if (chunks == 2) {
                        throw kill;
                    }
                }));
        assertTrue(Files.exists(tmp.resolve("resumed.pelt.partial")));
        assertFalse(Files.exists(resumed), "nothing half-written under the real name");
        List<String> log = new ArrayList<>();
        PeltBuilder.Report r = PeltBuilder.build(lm, DomainBundle.open(bundle), small(2), resumed, log::add);
        assertEquals(2, r.chunksResumed());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("resuming")), log.toString());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }

    @Test
    void aResumeWithAnotherBatchSizeStartsOverSayingWhy() {
        Path other = tmp.resolve("batch.pelt");
        PeltOptions two = small(4);
        assertThrows(RuntimeException.class, () -> PeltBuilder.build(lm, DomainBundle.open(bundle), two, other, s -> { },
                chunks -> {
                    throw new RuntimeException("killed");
                }));
        PeltOptions three = new PeltOptions(two.maxOccurrences(), two.maxSeqLength(), two.entities(), two.seed(), 4, two.chunkSize(),
                two.checkpointSeconds());
        List<String> log = new ArrayList<>();
        PeltBuilder.Report r = PeltBuilder.build(lm, DomainBundle.open(bundle), three, other, log::add);
        assertEquals(0, r.chunksResumed(), "sums padded at another batch size are not continued");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("starting over: ") && l.contains("batch-size=2 there, batch-size=4 here")), log.toString());
    }

    @Test
    void aSignalStopsTheBuildBetweenBatchesAndTheRerunEndsWithTheSameTable() throws IOException {
        PeltOptions o = new PeltOptions(256, 64, Set.of(), 42, 1, 2, 1e9); // two batches a chunk; no timed saves, only the stop's
        Path whole = tmp.resolve("sig-whole.pelt");
        PeltBuilder.build(lm, DomainBundle.open(bundle), o, whole, s -> { });
        Path stopped = tmp.resolve("sig-stopped.pelt");
        Stopped e;
        try {
            e = assertThrows(Stopped.class, () -> PeltBuilder.build(lm, DomainBundle.open(bundle), o, stopped, s -> { }, chunks -> {
                if (chunks == 1) {
                    StopSignal.request(StopSignal.Kind.TERM);
                }
            }));
        } finally {
            StopSignal.clear();
        }
        assertEquals(143, e.exitCode());
        assertTrue(e.line().matches("stopped by SIGTERM after 2 of \\d+ occurrences; the finished batches are saved in .*sig-stopped\\.pelt\\.partial,"
                + " rerun the same command to continue"), e.line());
        assertFalse(Files.exists(stopped), "nothing under the real name");
        List<String> log = new ArrayList<>();
        PeltBuilder.Report r = PeltBuilder.build(lm, DomainBundle.open(bundle), o, stopped, log::add);
        assertEquals(1, r.chunksResumed());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(stopped));
    }

    @Test
    void pluggingInsertsASlotAfterEachMentionWithARow() {
        Path out = tmp.resolve("plug.pelt");
        PeltBuilder.build(lm, DomainBundle.open(bundle), small(4), out, s -> { });
        PeltPlugin plug = new PeltPlugin(EntityTable.read(out), lm.tokenizer(), 7f);
        String text = "the zorbix sat on the [MASK] .";
        List<PeltPlugin.Linked> links = plug.link(text);
        assertEquals(List.of(new PeltPlugin.Linked(4, 10, "zorbix")), links);
        InputRow row = plug.encode(text, links);
        // [CLS] the zor ##bix ( SLOT ) sat on the [MASK] . [SEP]
        long[] expected = new long[] {2, 5, 26, 27, 24, 1, 25, 15, 8, 5, 4, 11, 3};
        assertArrayEquals(expected, row.ids());
        float[] v = row.overrides().get(5);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(7.0, Math.sqrt(norm), 1e-4);
        assertEquals(Set.of(5), row.overrides().keySet());
    }

    @Test
    void aSelectionWithNoMentionsIsRefused() {
        InfuseException e = assertThrows(InfuseException.class, () -> PeltBuilder.build(lm, DomainBundle.open(bundle),
                small(4).withEntities(Set.of("ghost")), tmp.resolve("empty.pelt"), s -> { }));
        assertEquals("none of the 1 selected entities is mentioned in the corpus; refusing to write an empty table", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("empty.pelt")));
        e = assertThrows(InfuseException.class, () -> PeltBuilder.build(lm, DomainBundle.open(bundle),
                small(4).withEntities(Set.of("nobody")), tmp.resolve("empty.pelt"), s -> { }));
        assertTrue(e.getMessage().contains("names no entity id or type"), e.getMessage());
    }

    @Test
    void aTableFromAnotherModelIsRefused() {
        Path out = tmp.resolve("other.pelt");
        PeltBuilder.build(lm, DomainBundle.open(bundle), small(4), out, s -> { });
        try (MaskedLm other = new MaskedLm(BertModel.random(lm.model().config(), 10), lm.tokenizer(), "other")) {
            InfuseException e = assertThrows(InfuseException.class, () -> EntityTable.read(out).requireModel(other, out));
            assertTrue(e.getMessage().contains("was built by another model"), e.getMessage());
        }
        EntityTable.read(out).requireModel(lm, out);
    }

    @Test
    void aCorruptTableIsRefused() throws IOException {
        Path out = tmp.resolve("corrupt.pelt");
        PeltBuilder.build(lm, DomainBundle.open(bundle), small(4), out, s -> { });
        byte[] b = Files.readAllBytes(out);
        Files.write(out, java.util.Arrays.copyOf(b, b.length - 100));
        InfuseException e = assertThrows(InfuseException.class, () -> EntityTable.read(out));
        assertTrue(e.getMessage().startsWith("corrupt entity table"), e.getMessage());
        Files.write(out, "not a table at all".getBytes());
        e = assertThrows(InfuseException.class, () -> EntityTable.read(out));
        assertTrue(e.getMessage().startsWith("corrupt entity table"), e.getMessage());
    }
}
