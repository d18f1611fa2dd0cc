package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import org.junit.jupiter.api.Test;

class BertConfigTest {
    @Test
    void aSequenceLongerThanThePositionsIsRefusedByFlag() {
        BertConfig c = BertConfig.tiny(40); // 64 positions
        assertDoesNotThrow(() -> c.requireSequenceLength("--max-seq-length", 64));
        InfuseException e = assertThrows(InfuseException.class, () -> c.requireSequenceLength("--pretrain-length", 65));
        assertEquals("--pretrain-length 65 is larger than the model's 64 positions", e.getMessage());
    }

    @Test
    void robertaCountsOnlyItsUsablePositions() {
        BertConfig r = BertConfig.tiny(40).withModelType("roberta"); // pad id 0: one position reserved
        assertDoesNotThrow(() -> r.requireSequenceLength("--max-seq-length", 63));
        assertEquals("--max-seq-length 64 is larger than the model's 63 positions",
                assertThrows(InfuseException.class, () -> r.requireSequenceLength("--max-seq-length", 64)).getMessage());
    }
}
