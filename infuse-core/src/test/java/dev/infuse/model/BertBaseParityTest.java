package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.bench.Memory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real bert-base-uncased, from its Maven artifact, against fp32 reference numbers computed by an
 * independent implementation with the exact erf GELU.
 */
class BertBaseParityTest {
    static MaskedLm lm;
    static double loadRssMb;

    record Case(String text, long[] ids, List<String> top, float[] logits) {}

    static final List<Case> CASES = List.of(
            new Case("The capital of France is [MASK].", new long[] {101, 1996, 3007, 1997, 2605, 2003, 103, 1012, 102},
                    List.of("paris", "lille", "lyon", "marseille", "tours"),
                    new float[] {12.3461f, 10.5820f, 10.4629f, 10.1078f, 9.7246f}),
            new Case("The man worked as a [MASK].", new long[] {101, 1996, 2158, 2499, 2004, 1037, 103, 1012, 102},
                    List.of("carpenter", "waiter", "barber", "mechanic", "salesman"),
                    new float[] {11.3414f, 10.7203f, 10.6663f, 10.3963f, 10.3909f}),
            new Case("Erlang is a functional programming [MASK].",
                    new long[] {101, 9413, 25023, 2003, 1037, 8360, 4730, 103, 1012, 102},
                    List.of("language", "languages", "environment", "framework", "library"),
                    new float[] {19.1038f, 12.9048f, 11.9006f, 11.1138f, 10.2359f}),
            new Case("The CPU fetches instructions from [MASK] and executes them.",
                    new long[] {101, 1996, 17368, 18584, 2229, 8128, 2013, 103, 1998, 15389, 2015, 2068, 1012, 102},
                    List.of("memory", "ram", "registers", "instructions", "rom"),
                    new float[] {11.3014f, 9.8174f, 8.3862f, 8.0772f, 7.5246f}),
            new Case("Café owners in Zürich sell [MASK] every morning.",
                    new long[] {101, 7668, 5608, 1999, 10204, 5271, 103, 2296, 2851, 1012, 102},
                    List.of("coffee", "them", "it", "food", "tickets"),
                    new float[] {10.3658f, 10.3389f, 10.0267f, 8.6742f, 8.4986f}));

    @BeforeAll
    static void load() {
        ModelStore.resolve(ModelStore.BERT_BASE_UNCASED); // convert once, outside the measurement
        System.gc();
        double before = Memory.rssMb();
        lm = MaskedLm.load(ModelStore.BERT_BASE_UNCASED);
        loadRssMb = Memory.rssMb() - before;
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    @Test
    void topFiveTokensAndLogitsMatchTheReference() {
        List<FillMask.Result> results = FillMask.predict(lm, CASES.stream().map(Case::text).toList(), 5);
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            FillMask.Result r = results.get(i);
            assertArrayEquals(c.ids(), r.ids(), c.text());
            assertEquals(1, r.masks().size());
            List<FillMask.Candidate> top = r.masks().get(0).top();
            assertEquals(c.top(), top.stream().map(FillMask.Candidate::token).toList(), c.text());
            for (int k = 0; k < 5; k++) {
                assertEquals(c.logits()[k], top.get(k).logit(), 1e-3, c.text() + " rank " + k);
            }
        }
    }

    @Test
    void eachSentenceAloneGivesTheSameLogitsAsInAPaddedBatch() {
        Case c = CASES.get(3);
        FillMask.Candidate alone = FillMask.predict(lm, List.of(c.text()), 1).get(0).masks().get(0).top().get(0);
        assertEquals(c.logits()[0], alone.logit(), 1e-3);
    }

    @Test
    void loadingBertBaseAddsLessThanOneAndAHalfGigabytes() {
        assertTrue(loadRssMb < 1536, "loading added " + loadRssMb + " MB RSS");
    }
}
