package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.TinyRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cached frozen features give the live forward's predictions, and a head trained on them learns. */
class LinearProbeTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
    }

    static TaskModel frozen(String task, TaskSet train, Transfer transfer, long seed) {
        MaskedLm lm = MaskedLm.load(model.toString());
        Labels labels = new Labels(train.labelsInOrder());
        int h = lm.model().config().hiddenSize();
        TaskHead head = TaskHead.random(h, lm.model().config().numHiddenLayers(), Tasks.groups(task), labels.size(), transfer, seed);
        return new TaskModel(lm, head, task, labels, transfer, 32);
    }

    @Test
    void cachedFeaturesGiveTheLiveForwardsLogits() throws Exception {
        // NER sentences differ in length, so the length-sorted extraction must put every target back in place.
        TaskSet set = Tasks.read("ner", TinyTasks.ner(tmp.resolve("ner.conll"), 30, 7));
        for (Transfer t : List.of(Transfer.MIX, Transfer.TOP)) {
            try (TaskModel m = frozen("ner", set, t, 5); NDManager s = Engines.newManager()) {
                FrozenFeatures f = FrozenFeatures.extract(m, set, 7, "features");
                assertEquals(t == Transfer.MIX ? m.lm().model().config().numHiddenLayers() + 1 : 1, f.states());
                List<Encoded> all = new ArrayList<>();
                Map<String, Integer> liveIndex = new HashMap<>(); // "example/ref" -> row of the live logits
                for (int i = 0; i < set.size(); i++) {
                    Encoded e = set.encode(i, m.encoder(), m.maxSeqLength(), m.labels());
                    for (Target tg : e.targets()) {
                        liveIndex.put(i + "/" + tg.ref(), liveIndex.size());
                    }
                    all.add(e);
                }
                float[] live = m.logits(s, all, false).toFloatArray(); // (N, C), example order
                int c = m.labels().size();
                assertEquals(liveIndex.size(), f.size());
                List<Integer> every = new ArrayList<>();
                for (int k = 0; k < f.size(); k++) {
                    every.add(k);
                }
                float[] cached = m.head().classify(s, LinearProbe.stack(s, f, every)).toFloatArray(); // (N, C), extraction order
                for (int k = 0; k < f.size(); k++) {
                    int row = liveIndex.get(f.example()[k] + "/" + f.ref()[k]);
                    for (int j = 0; j < c; j++) {
                        assertEquals(live[row * c + j], cached[k * c + j], 1e-4, t + " target " + k);
                    }
                }
                List<int[]> livePredictions = Predictor.predict(m, set, 4);
                List<int[]> spread = f.spread(LinearProbe.predict(m.head(), f), set);
                for (int i = 0; i < set.size(); i++) {
                    assertArrayEquals(livePredictions.get(i), spread.get(i), t + " sentence " + i);
                }
            }
        }
    }

    @Test
    void aProbeOnFrozenFeaturesLearnsTypingAndSeedsDiffer() throws Exception {
        TaskSet train = Tasks.read("typing", TinyTasks.typing(tmp.resolve("train.jsonl"), 80, 1));
        TaskSet dev = Tasks.read("typing", TinyTasks.typing(tmp.resolve("dev.jsonl"), 30, 2));
        TaskSet test = Tasks.read("typing", TinyTasks.typing(tmp.resolve("test.jsonl"), 30, 3));
        List<Double> accuracies = new ArrayList<>();
        try (TaskModel m = frozen("typing", train, Transfer.MIX, 1)) {
            FrozenFeatures ftrain = FrozenFeatures.extract(m, train, 16, "train");
            FrozenFeatures fdev = FrozenFeatures.extract(m, dev, 16, "dev");
            FrozenFeatures ftest = FrozenFeatures.extract(m, test, 16, "test");
            for (long seed : new long[] {1, 2}) {
                LinearProbe.Result r = LinearProbe.run(ftrain, fdev, dev, ftest, test, m.labels(), Transfer.MIX, 1,
                        new LinearProbe.Options(40, 8, 1e-2f, 10), seed);
                assertTrue(r.test().primary() > 0.9, "test accuracy " + r.test().all());
                assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() <= r.epochs());
                accuracies.add(r.dev().primary());
            }
        }
        // An untrained head is near chance on this balanced two-class set: the probe, not luck, did it.
        try (TaskModel m = frozen("typing", train, Transfer.MIX, 9); NDManager s = Engines.newManager()) {
            FrozenFeatures f = FrozenFeatures.extract(m, test, 16, "test");
            double untrained = test.score(f.spread(LinearProbe.predict(m.head(), f), test), m.labels()).primary();
            assertTrue(untrained < 0.8, "untrained accuracy " + untrained);
        }
        assertEquals(2, accuracies.size());
    }
}
