package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleAndFreezeTest {
    @Test
    void warmupThenLinearOrCosineDecayToZero() {
        LrSchedule lin = new LrSchedule(1f, 4, 14, LrSchedule.Kind.LINEAR);
        assertEquals(0.25f, lin.lr(0), 1e-6);
        assertEquals(1f, lin.lr(3), 1e-6);
        assertEquals(1f, lin.lr(4), 1e-6);
        assertEquals(0.5f, lin.lr(9), 1e-6);
        assertEquals(0.1f, lin.lr(13), 1e-6);
        LrSchedule cos = new LrSchedule(1f, 0, 10, LrSchedule.Kind.COSINE);
        assertEquals(1f, cos.lr(0), 1e-6);
        assertEquals(0.5f, cos.lr(5), 1e-6);
        assertTrue(cos.lr(9) < 0.03f && cos.lr(9) > 0);
        assertEquals(0.7f, new LrSchedule(0.7f, 2, 10, LrSchedule.Kind.CONSTANT).lr(8), 1e-6);
        assertThrows(InfuseException.class, () -> LrSchedule.Kind.parse("exp"));
    }

    @Test
    void freezingChoosesTopLayersOrEmbeddingsAndNeverThePooler() {
        BertConfig c = BertConfig.tiny(30);
        Set<String> all = Freeze.none().trainable(c);
        Set<String> top = new Freeze(1, false).trainable(c);
        Set<String> emb = new Freeze(0, true).trainable(c);
        assertFalse(all.stream().anyMatch(n -> n.contains("pooler")));
        assertTrue(top.contains("bert.encoder.layer.1.output.dense.weight") && top.contains("cls.predictions.bias"));
        assertFalse(top.contains("bert.encoder.layer.0.output.dense.weight") || top.contains("bert.embeddings.word_embeddings.weight"));
        assertTrue(emb.stream().allMatch(n -> n.startsWith("bert.embeddings.")));
        assertEquals(5, emb.size(), "three tables and the embedding LayerNorm's weight and bias");
        assertThrows(InfuseException.class, () -> new Freeze(3, false).trainable(c));
        assertThrows(InfuseException.class, () -> new Freeze(1, true));
    }
}
