package dev.infuse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.SavedKnowledge;
import dev.infuse.inject.kadapter.KadapterJob;
import dev.infuse.inject.kadapter.KadapterSpec;
import dev.infuse.inject.kadapter.KadapterTraining;
import dev.infuse.inject.kadapter.KadapterTrainingTest;
import dev.infuse.inject.kadapter.RelationExamples;
import dev.infuse.domain.DomainBundle;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's cells read a pretrained factual adapter as they read any plug-in: a linear probe on [last ; adapter]. */
class KadapterCellsTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path adapter;
    static Path bundle;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        bundle = KadapterTrainingTest.bundle(tmp.resolve("bundle"), true);
        adapter = tmp.resolve("kadapter");
        KadapterTraining.run(new KadapterJob(model.toString(), bundle, adapter, new KadapterSpec(null, 16, 1, 2, 32),
                RelationExamples.labelsFor(DomainBundle.open(bundle), 1), 1, 3, 4, 16, 1e-3f, 0f, 0, 1, false, false), List.of(),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void typingCellsTrainALinearProbeOnTheWiderStates() throws Exception {
        TaskSet train = Tasks.read("typing", TinyTasks.typing(tmp.resolve("train.jsonl"), 30, 1));
        TaskSet dev = Tasks.read("typing", TinyTasks.typing(tmp.resolve("dev.jsonl"), 10, 2));
        TaskSet test = Tasks.read("typing", TinyTasks.typing(tmp.resolve("test.jsonl"), 10, 3));
        Injection.Injected in = new Injection.Injected(model.toString(), List.of(new SavedKnowledge("kadapter", adapter)), 0);
        List<Measurement> m = TaskRunner.classify("kadapter", "typing", in, train, dev, test, ComparisonTest.budget(), List.of(1L, 2L));
        assertTrue(m.size() >= 2 && m.stream().allMatch(x -> x.method().equals("kadapter")), m.toString());
    }

    @Test
    void theBundlesRelationsAreItsLabelsWhenTwoHaveEnoughSentences() {
        assertEquals(RelationExamples.Label.RELATION, RelationExamples.labelsFor(DomainBundle.open(bundle), 4));
        assertEquals(RelationExamples.Label.RELATION_TAIL_TYPE, RelationExamples.labelsFor(DomainBundle.open(bundle), 9),
                "fewer than two relations with 9 sentences: the relation and the tail's type");
    }
}
