package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltKnowledge;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.ner.NerSet;
import dev.infuse.train.TinyRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --entity-table in tasks: slots go in, words still map onto the same pieces, and eval uses the saved copy. */
class EntityTableTaskTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path table;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        try (MaskedLm lm = MaskedLm.load(model.toString())) {
            List<EntityTable.Row> rows = List.of(new EntityTable.Row("e-cat", "cat", List.of(), "animal"),
                    new EntityTable.Row("e-sun", "sun", List.of(), "nature"));
            float[] sums = new float[2 * 32];
            Random r = new Random(1);
            for (int i = 0; i < sums.length; i++) {
                sums[i] = (float) r.nextGaussian();
            }
            table = tmp.resolve("t.pelt");
            new EntityTable(rows, sums, new float[] {1, 1}, 32, lm.fingerprint()).write(table);
        }
    }

    @Test
    void slotsDoNotMoveWordTargetsOffTheirWords() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.conll"), "the\tO\ncat\tB-animal\nsat\tO\nin\tO\nthe\tO\nsun\tB-nature\n");
        NerSet set = NerSet.read(f);
        try (MaskedLm lm = MaskedLm.load(model.toString())) {
            Labels labels = new Labels(set.labelsInOrder());
            Encoded plain = set.encode(0, RowEncoder.plain(lm.tokenizer()), 64, labels);
            RowEncoder pelt = RowEncoder.of(lm.tokenizer(),
                    new KnowledgeStack(List.of(PeltKnowledge.of(new PeltPlugin(EntityTable.read(table), lm.tokenizer(), 7f), 7f))));
            Encoded slotted = set.encode(0, pelt, 64, labels);
            // [CLS] the cat ( [ENT] ) sat in the sun ( [ENT] ) [SEP]: 6 more tokens, two slot vectors.
            assertEquals(plain.row().length() + 6, slotted.row().length());
            assertEquals(List.of(4, 11), slotted.row().overrides().keySet().stream().sorted().toList());
            int[] words = {1, 2, 6, 7, 8, 9};
            for (int w = 0; w < 6; w++) {
                assertArrayEquals(new int[] {words[w]}, slotted.targets().get(w).groups()[0], "word " + w);
                assertEquals(plain.targets().get(w).label(), slotted.targets().get(w).label());
            }
        }
    }

    @Test
    void finetuneWithATableAndEvalTheSavedRun() throws Exception {
        Path train = TinyTasks.typing(tmp.resolve("train.jsonl"), 40, 1);
        Path dev = TinyTasks.typing(tmp.resolve("dev.jsonl"), 20, 2);
        Path out = tmp.resolve("out");
        FineTuning.Result r = FineTuning.run(new FinetuneJob(model.toString(), "typing", train, dev, Transfer.FULL, 0, 8, 32, 2e-3f, 1, 20, 10,
                5, 0.1f, 3, out, false, false, 0f, List.of(new PeltKnowledge.Spec(table, 7f))), List.of(), QUIET);
        assertTrue(Files.exists(out.resolve(PeltKnowledge.FILE)));
        try (TaskModel saved = TaskModel.load(out)) {
            assertEquals(r.best().primary(), Predictor.evaluate(saved, Tasks.read("typing", dev), 8, QUIET).primary(), 0.0);
        }
    }
}
