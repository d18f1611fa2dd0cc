package dev.infuse.inject.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.model.BertModel;
import dev.infuse.model.LayerHook;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LoRA starts as the base model exactly, and merging it into the weights keeps what the wrapped model computes. */
class LoraTest {
    @BeforeAll
    static void oneThread() {
        dev.infuse.train.TinyRun.oneThread();
    }

    static final LoraSpec EVERY = new LoraSpec(4, 8f, 0f, List.of("query", "key", "value", "dense"));

    @Test
    void aFreshLoraWithZeroBGivesTheBaseModelsOutputsBitForBit() {
        try (BertModel m = AdapterFixtures.model()) {
            float[] base = AdapterFixtures.hidden(m);
            Lora lora = (Lora) EVERY.create(m.config(), 3);
            m.addHook(lora);
            for (Lora.Pair p : lora.pairs()) {
                for (float v : p.b().toFloatArray()) {
                    assertEquals(0f, v, "B starts at zero");
                }
            }
            assertEquals(6 * m.config().numHiddenLayers(), lora.pairs().size(), "every projection of every layer is wrapped");
            assertArrayEquals(base, AdapterFixtures.hidden(m));
            m.removeHook(lora);
            lora.close();
        }
    }

    @Test
    void kaimingUniformAStaysInsidePeftsBound() {
        Lora lora = (Lora) LoraSpec.defaults().create(AdapterFixtures.TINY, 5);
        double bound = 1 / Math.sqrt(AdapterFixtures.TINY.hiddenSize());
        double max = 0;
        for (Lora.Pair p : lora.pairs()) {
            for (float v : p.a().toFloatArray()) {
                max = Math.max(max, Math.abs(v));
            }
        }
        assertTrue(max <= bound && max > 0.8 * bound, "|A| max " + max + " against 1/sqrt(in) = " + bound);
        assertEquals(List.of("attention.self.query", "attention.self.value"), LoraSpec.defaults().modules());
        lora.close();
    }

    @Test
    void aMergedLoraComputesWhatTheWrappedModelComputes() {
        try (BertModel m = AdapterFixtures.model()) {
            float[] base = AdapterFixtures.hidden(m);
            Lora lora = (Lora) EVERY.create(m.config(), 3);
            long seed = 100;
            for (Lora.Pair p : lora.pairs()) {
                AdapterFixtures.randomize(p.b(), seed++, 0.2);
            }
            m.addHook(lora);
            float[] wrapped = AdapterFixtures.hidden(m);
            assertTrue(AdapterFixtures.maxDiff(base, wrapped) > 1e-2, "a nonzero B changes the outputs");
            assertThrows(InfuseException.class, () -> LoraMerge.merge(m, lora), "merging while hooked would apply it twice");
            m.removeHook(lora);
            LoraMerge.merge(m, lora);
            float[] merged = AdapterFixtures.hidden(m);
            double d = AdapterFixtures.maxDiff(wrapped, merged);
            assertTrue(d < 1e-5, "merged against wrapped: max difference " + d);
            lora.close();
        }
    }

    @Test
    void badSettingsAreOneLine() {
        InfuseException r = assertThrows(InfuseException.class, () -> new LoraSpec(0, 8f, 0f, List.of("query")));
        assertEquals("--lora-r must be at least 1, found 0", r.getMessage());
        InfuseException t = assertThrows(InfuseException.class, () -> new LoraSpec(8, 8f, 0f, List.of("query", "q_proj")));
        assertTrue(t.getMessage().startsWith("--lora-targets: \"q_proj\" names no projection"), t.getMessage());
        assertTrue(LayerHook.LINEAR_MODULES.containsAll(new LoraSpec(8, 8f, 0f, List.of("dense")).modules()));
        assertEquals(3, new LoraSpec(8, 8f, 0f, List.of("dense")).modules().size());
    }
}
