package dev.infuse.inject.zeo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.TinyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Knowledge vectors: which entities get one, what the pooling computes, and resume. */
class ZeoVectorsTest {
    @TempDir
    static Path tmp;
    static MaskedLm lm;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        lm = MaskedLm.load(TinyRun.model(tmp.resolve("tiny")).toString());
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    static VectorBuilder.Options small(VectorBuilder.Pooling p) {
        return new VectorBuilder.Options(p, 16, 2, 2, 0);
    }

    @Test
    void descriptionLessEntitiesAreSkippedWithACount() throws IOException {
        Path b = ZeoFixtures.bundle(tmp.resolve("b1"), true);
        List<String> log = new ArrayList<>();
        Path out = tmp.resolve("v1.zeo");
        VectorBuilder.Report r = VectorBuilder.build(lm, DomainBundle.open(b), small(VectorBuilder.Pooling.MEAN), out, log::add);
        assertEquals(1, r.skipped());
        assertTrue(log.contains("skipped 1 of 5 entities without a description"), log.toString());
        KnowledgeVectors v = KnowledgeVectors.read(out);
        assertEquals(List.of("cat", "dog", "sun", "river"), v.rows().stream().map(KnowledgeVectors.Row::id).toList());
        assertEquals(-1, v.rowOf("mat"));
        // mean pooling over [CLS] the cat sat [SEP] equals the mean of the model's own final states
        float[] expected = VectorBuilder.pool(lm, List.of(ids("[CLS]", "the", "cat", "sat", "on", "the", "mat", "[SEP]")),
                VectorBuilder.Pooling.MEAN);
        assertArrayEquals(expected, v.vector(v.rowOf("cat")), 1e-5f);
        assertTrue(Files.exists(tmp.resolve("v1.zeo.provenance.json")));
    }

    @Test
    void noDescriptionsAtAllIsAnError() throws IOException {
        Path b = tmp.resolve("b2");
        Files.createDirectories(b);
        Files.write(b.resolve("entities.jsonl"), List.of("{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"animal\"}"));
        InfuseException e = assertThrows(InfuseException.class, () -> VectorBuilder.build(lm, DomainBundle.open(b),
                small(VectorBuilder.Pooling.MEAN), tmp.resolve("none.zeo"), s -> { }));
        assertTrue(e.getMessage().startsWith("none of the 1 entities of"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("none.zeo")));
    }

    @Test
    void aKilledBuildResumesToTheSameBytes() throws IOException {
        Path b = ZeoFixtures.bundle(tmp.resolve("b3"), true);
        Path whole = tmp.resolve("whole.zeo");
        VectorBuilder.build(lm, DomainBundle.open(b), small(VectorBuilder.Pooling.CLS), whole, s -> { });
        Path resumed = tmp.resolve("resumed.zeo");
        assertThrows(IllegalStateException.class, () -> VectorBuilder.build(lm, DomainBundle.open(b), small(VectorBuilder.Pooling.CLS),
                resumed, s -> { }, n -> {
                    if (n == 1) {
                        throw new IllegalStateException("killed");
                    }
                }));
        VectorBuilder.Report r = VectorBuilder.build(lm, DomainBundle.open(b), small(VectorBuilder.Pooling.CLS), resumed, s -> { });
        assertEquals(1, r.chunksResumed());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }

    static long[] ids(String... tokens) {
        long[] out = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = lm.tokenizer().tokenToId(tokens[i]);
        }
        return out;
    }
}
