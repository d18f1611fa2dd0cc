package dev.infuse.spark;

import dev.infuse.model.MaskedLm;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/** What the driver needs to know of the model, asked of an executor: it also proves the executors can load it. */
record ModelFacts(int hidden, int positions, String fingerprint) implements Serializable {
    /** Asks an executor; a positive {@code maxSeqLength} is checked against the model's positions there. */
    static ModelFacts ask(JavaSparkContext sc, String model, String precision, int maxSeqLength) {
        return sc.parallelize(List.of(0), 1).map(x -> {
            MaskedLm lm = ExecutorState.maskedLm(model, precision);
            if (maxSeqLength > 0) {
                lm.model().config().requireSequenceLength("--max-seq-length", maxSeqLength);
            }
            return new ModelFacts(lm.model().config().hiddenSize(), lm.model().config().maxSequenceLength(), lm.fingerprint());
        }).collect().get(0);
    }
}
