package dev.infuse.inject.kbert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.inject.TextRow;
import dev.infuse.inject.kbert.KnowledgeGraph.Branch;
import dev.infuse.model.Batches;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.InputRow;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the visible matrix does inside a (tiny, random) model: a sentence token cannot read a branch it must
 * not see. In the first layer no sentence token but the subject's own changes when a branch changes; from the
 * second layer on the branch reaches the sentence through its subject, which is how K-BERT means knowledge to
 * flow. Without the matrix the change reaches every token at once.
 */
class KbertVisibilityTest {
    static BertModel model;
    static NDManager m;

    @BeforeAll
    static void setUp() {
        // Weights ten times BERT's usual spread, so a change travels visibly far through two layers.
        model = BertModel.random(new BertConfig("bert", KbertTreeTest.EN.vocabSize(), 32, 2, 4, 64, "gelu", 0f, 0f, 64, 2, 1e-12f, 0, 0.2f), 3);
        m = Engines.newManager();
    }

    @AfterAll
    static void tearDown() {
        m.close();
        model.close();
    }

    /** The english graph with beijing's first object {@code object} instead of "china". */
    static KnowledgeGraph graph(String object) {
        Map<String, List<Branch>> g = new LinkedHashMap<>();
        g.put("cook", List.of(new Branch("is", "chef"), new Branch("works at", "apple")));
        g.put("beijing", List.of(new Branch("capital of", object), new Branch("is a", "city")));
        return KnowledgeGraph.of(g, "english");
    }

    static List<float[]> layers(boolean vm, String object) {
        KbertEncoder k = KbertTreeTest.encoder(KbertTreeTest.EN, graph(object), 64, vm);
        TextRow r = KbertTreeTest.rows(k).encode("cook visits beijing today");
        InputRow row = Rows.cut(r, 64, KbertTreeTest.EN);
        BertInput in = Batches.padded(List.of(row), KbertTreeTest.EN.padId(), model.config());
        in = new BertInput(in.inputIds(), in.tokenTypeIds(), in.positionIds(), in.paddingMask(), in.visibility(), in.overrides(), true);
        try (NDManager s = m.newSubManager()) {
            return model.forward(s, in, false).hiddenStates().stream().map(a -> a.toFloatArray()).toList();
        }
    }

    static float diff(List<float[]> a, List<float[]> b, int layer, int slot) {
        int h = model.config().hiddenSize();
        float max = 0;
        for (int d = 0; d < h; d++) {
            max = Math.max(max, Math.abs(a.get(layer)[slot * h + d] - b.get(layer)[slot * h + d]));
        }
        return max;
    }

    @Test
    void aSentenceTokenDoesNotSeeAnotherSubjectsBranch() {
        // Slots: 0 [CLS], 1 cook, 2-6 cook's branches, 7 visits, 8 beijing, 9-11 "capital of china", 12-14, 15 today, 16 [SEP].
        List<float[]> before = layers(true, "china");
        List<float[]> after = layers(true, "apple"); // beijing's first branch now ends in another token (slot 11)
        for (int slot : new int[] {0, 1, 7, 15, 16}) {
            assertEquals(0f, diff(before, after, 1, slot), "layer 1, slot " + slot + " must not see beijing's branch");
        }
        for (int slot : new int[] {2, 3, 4, 5, 6, 12, 13, 14}) {
            assertEquals(0f, diff(before, after, 1, slot), "layer 1, slot " + slot + ": another branch");
        }
        assertTrue(diff(before, after, 1, 8) > 1e-4, "beijing reads its own branch");
        assertTrue(diff(before, after, 1, 9) > 1e-4, "the branch's own tokens read it");
        assertTrue(diff(before, after, 2, 7) > 1e-4, "layer 2: through beijing, the sentence gets the knowledge");

        List<float[]> openBefore = layers(false, "china");
        List<float[]> openAfter = layers(false, "apple");
        assertTrue(diff(openBefore, openAfter, 1, 7) > 1e-4, "without the matrix the change reaches 'visits' in layer 1");
        assertTrue(diff(openBefore, openAfter, 1, 0) > 1e-4, "and [CLS]");
    }
}
