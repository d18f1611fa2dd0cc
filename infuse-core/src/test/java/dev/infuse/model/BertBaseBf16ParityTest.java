package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.engine.Precision;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real bert-base-uncased with bf16 matrix products, on the fp32 parity test's sentences: the top-1 fill
 * is the fp32 reference's, and the top logits stay near the fp32 ones (bf16's 8-bit mantissa moves them by
 * about a tenth).
 */
class BertBaseBf16ParityTest {
    static MaskedLm lm;

    @BeforeAll
    static void load() {
        lm = MaskedLm.load(ModelStore.BERT_BASE_UNCASED);
        lm.model().setPrecision(Precision.BF16);
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    @Test
    void topOneFillIsFp32sOnEverySentence() {
        List<BertBaseParityTest.Case> cases = BertBaseParityTest.CASES;
        List<FillMask.Result> results = FillMask.predict(lm, cases.stream().map(BertBaseParityTest.Case::text).toList(), 5);
        double worst = 0;
        for (int i = 0; i < cases.size(); i++) {
            BertBaseParityTest.Case c = cases.get(i);
            List<FillMask.Candidate> top = results.get(i).masks().get(0).top();
            assertEquals(c.top().get(0), top.get(0).token(), c.text());
            worst = Math.max(worst, Math.abs(c.logits()[0] - top.get(0).logit()));
        }
        assertTrue(worst > 0, "bf16 logits equal to fp32's to the last bit: the products did not run in bf16");
        assertTrue(worst < 0.5, "top-1 logit moved by " + worst);
    }
}
