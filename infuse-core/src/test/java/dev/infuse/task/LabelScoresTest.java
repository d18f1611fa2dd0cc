package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelScoresTest {
    @Test
    void handComputedAccuracyMicroMacroAndBuckets() {
        List<String> gold = List.of("a", "a", "b", "b", "c");
        List<String> pred = Arrays.asList("a", "b", "b", null, "a"); // one example got no prediction
        Scores s = LabelScores.of(gold, pred, List.of("x", "x", "y", "y", "y"));
        assertEquals(0.4, s.primary(), 1e-12); // 2 of 5
        // micro: P = 2/4, R = 2/5, F1 = 2 * 0.5 * 0.4 / 0.9 = 4/9
        assertEquals(4.0 / 9, (double) s.all().get("micro_f1"), 1e-12);
        // per gold label: a P=1/2 R=1/2 F=1/2; b P=1/2 R=1/2 F=1/2; c P=0 R=0 F=0 -> macro 1/3
        assertEquals(1.0 / 3, (double) s.all().get("macro_f1"), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> buckets = (Map<String, Map<String, Object>>) s.all().get("per_bucket");
        assertEquals(0.5, (double) buckets.get("x").get("accuracy"), 1e-12);
        assertEquals(1.0 / 3, (double) buckets.get("y").get("accuracy"), 1e-12);
    }
}
