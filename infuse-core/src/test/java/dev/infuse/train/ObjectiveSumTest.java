package dev.infuse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.inject.sensebert.SenseBertSpec;
import dev.infuse.model.BertInput;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sum of objectives is the weighted sum of its parts, read from one forward pass. */
class ObjectiveSumTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void oneThread() {
        TinyRun.oneThread();
    }

    @Test
    void theCombinedLossIsTheWeightedSumOfTheParts() {
        try (MaskedLm lm = MaskedLm.load(TinyRun.model(tmp.resolve("m")).toString());
                Objective mlm = Objective.Spec.MLM.open(lm, false, TinyRun.QUIET);
                Objective senses = new SenseBertSpec(null, 5).open(lm, false, TinyRun.QUIET);
                Objective sum = new ObjectiveSum.Spec(List.of("mlm", "sensebert"), List.of(1f, 0.5f),
                        List.of(Objective.Spec.MLM, new SenseBertSpec(null, 5))).open(lm, false, TinyRun.QUIET);
                NDManager s = Engines.newManager()) {
            Tokenizer tok = lm.tokenizer();
            // [CLS] the cat sat on the mat [SEP], with cat and mat masked: both whole words with WordNet senses
            String[] words = {"the", "cat", "sat", "on", "the", "mat"};
            long[] ids = new long[words.length + 2];
            ids[0] = tok.clsId();
            for (int i = 0; i < words.length; i++) {
                ids[i + 1] = tok.tokenToId(words[i]);
            }
            ids[ids.length - 1] = tok.sepId();
            long[] positions = {2, 6};
            long[] labels = {ids[2], ids[6]};
            ids[2] = tok.maskId();
            ids[6] = tok.maskId();
            MlmBatch batch = new MlmBatch(BertInput.builder().setInputIds(new long[][] {ids}).build(), positions, labels, ids.length);
            float a = mlm.loss(lm.model(), s, batch, false).getFloat();
            var senseLoss = senses.loss(lm.model(), s, batch, false);
            assertNotNull(senseLoss, "cat and mat are scored");
            float b = senseLoss.getFloat();
            float together = sum.loss(lm.model(), s, batch, false).getFloat();
            assertTrue(a > 0 && b > 0, a + " " + b);
            assertEquals(a + 0.5f * b, together, 1e-5f);
            // The same head weights: the sum's SenseBERT part starts from the same seed as the part alone
            assertEquals(senses.parameters().keySet(), sum.parameters().keySet().stream().filter(k -> k.startsWith("sensebert")).collect(
                    java.util.stream.Collectors.toSet()));
        }
    }
}
