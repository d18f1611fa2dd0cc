package dev.infuse.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import dev.infuse.inject.kbert.KbertEncoder;
import dev.infuse.inject.kbert.KbertKnowledge;
import dev.infuse.inject.kbert.KbertOptions;
import dev.infuse.inject.kbert.KnowledgeGraph;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltKnowledge;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PELT's slots inside K-BERT's sentence tree, on a crafted sentence: each slot lands where PELT alone puts it
 * (same soft position, same vector, a sentence token that sees the sentence), and the tree's branches,
 * positions and visibility are K-BERT's.
 */
class ComposedKnowledgeTest {
    static final WordPieceTokenizer TOK = new WordPieceTokenizer(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cook", "visits",
            "beijing", "today", "is", "a", "chef", "capital", "of", "china", "city", "(", ")"), false, false, "test");

    static Knowledge pelt() {
        EntityTable t = new EntityTable(List.of(new EntityTable.Row("e-cook", "cook", List.of(), "person")), new float[] {3, 4}, new float[] {1},
                2, "f".repeat(64));
        return PeltKnowledge.of(new PeltPlugin(t, TOK, 5f), 5f);
    }

    static Knowledge kbert() {
        Map<String, List<KnowledgeGraph.Branch>> g = new LinkedHashMap<>();
        g.put("cook", List.of(new KnowledgeGraph.Branch("is", "chef")));
        g.put("beijing", List.of(new KnowledgeGraph.Branch("capital of", "china"), new KnowledgeGraph.Branch("is a", "city")));
        return KbertKnowledge.of(new KbertEncoder(TOK, KnowledgeGraph.of(g, "crafted"), new KbertOptions(Path.of("g.spo"), 2, true, 7), 64));
    }

    static List<String> tokens(TextRow r) {
        return Arrays.stream(r.encoding().ids()).mapToObj(TOK::idToToken).toList();
    }

    @Test
    void slotsSitInsideTheTreeWhereAndAsPeltAlonePutsThem() {
        String text = "cook visits beijing today";
        TextRow alone = new KnowledgeStack(List.of(pelt())).encode(TOK, text);
        assertEquals(List.of("[CLS]", "cook", "(", "[UNK]", ")", "visits", "beijing", "today", "[SEP]"), tokens(alone));
        assertEquals(Set.of(3), alone.overrides().keySet());

        // Given in the other order: the stack still puts the tokenizing plug-in first.
        TextRow both = new KnowledgeStack(List.of(kbert(), pelt())).encode(TOK, text);
        assertEquals(List.of("[CLS]", "cook", "is", "chef", "(", "[UNK]", ")", "visits", "beijing", "capital", "of", "china", "is", "a", "city",
                "today", "[SEP]"), tokens(both));
        assertArrayEquals(new long[] {0, 1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9, 7, 8, 9, 7, 8}, both.positions());
        assertEquals(Set.of(5), both.overrides().keySet(), "one slot, moved with its token");
        assertArrayEquals(alone.overrides().get(3), both.overrides().get(5));
        assertEquals(3, both.positions()[5], "the slot keeps PELT's own position");

        boolean[] branch = new boolean[17];
        for (int i : new int[] {2, 3, 9, 10, 11, 12, 13, 14}) {
            branch[i] = true;
        }
        for (int j = 0; j < 17; j++) {
            assertEquals(!branch[j], both.visibility()[5][j], "the slot sees the sentence and no branch: column " + j);
        }
        assertEquals(false, both.visibility()[2][5], "cook's branch does not see the slot");
        assertEquals(true, both.visibility()[2][1], "cook's branch sees cook");
        assertEquals(true, both.visibility()[1][2], "cook sees its branch");
        assertEquals(false, both.visibility()[0][2], "[CLS] sees no branch");
    }

    @Test
    void thePlainTreeIsUnchangedByComposition() {
        String text = "visits beijing today";
        TextRow kbertAlone = new KnowledgeStack(List.of(kbert())).encode(TOK, text);
        TextRow both = new KnowledgeStack(List.of(pelt(), kbert())).encode(TOK, text);
        assertEquals(tokens(kbertAlone), tokens(both), "no mention of the table's entity: no slot, the same tree");
        assertArrayEquals(kbertAlone.positions(), both.positions());
        assertEquals(Map.of(), both.overrides());
    }

    @Test
    void twoPluginsWantingTheSamePlaceAreRefusedNamingBoth() {
        InfuseException e = assertThrows(InfuseException.class, () -> new KnowledgeStack(new ArrayList<>(List.of(kbert(), pelt(), kbert()))));
        assertEquals("kbert and kbert cannot be combined: both rearrange the tokens of a row", e.getMessage());
        InfuseException p = assertThrows(InfuseException.class, () -> new KnowledgeStack(List.of(pelt(), pelt())));
        assertEquals("pelt and pelt cannot be combined: both tokenize the text themselves", p.getMessage());
    }
}
