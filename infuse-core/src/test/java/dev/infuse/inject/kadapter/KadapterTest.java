package dev.infuse.inject.kadapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.io.Provenance;
import dev.infuse.model.Batches;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertOutput;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.Encoded;
import dev.infuse.task.Labels;
import dev.infuse.task.TaskHead;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.TinyTasks;
import dev.infuse.task.Transfer;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factual adapter after the encoder: its shapes and concatenation, the plain path untouched, and its files. */
class KadapterTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path relations;

    /** A small adapter for the tiny model (hidden 32): 16 wide, 2 heads, feed-forward 32, the scaled layers. */
    static KadapterSpec tiny() {
        return new KadapterSpec(null, 16, 2, 2, 32);
    }

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        relations = TinyTasks.relation(tmp.resolve("rel.jsonl"), 12, 5);
    }

    static TaskModel taskModel(MaskedLm lm, KnowledgeStack stack, Transfer transfer, Labels labels) {
        TaskHead head = TaskHead.random(stack.headWidth(lm.model().config().hiddenSize()), lm.model().config().numHiddenLayers(), 2,
                labels.size(), transfer, 9);
        return new TaskModel(lm, head, "relation", labels, transfer, 32, stack);
    }

    static List<Encoded> encode(TaskModel m, TaskSet set) {
        List<Encoded> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(set.encode(i, m.encoder(), 32, m.labels()));
        }
        return out;
    }

    @Test
    void theReferenceLayersScaleWithDepth() {
        assertEquals(List.of(0, 5, 11), KadapterConfig.scaledLayers(12));
        assertEquals(List.of(0, 11, 23), KadapterConfig.scaledLayers(24));
        assertEquals(List.of(0, 0, 1), KadapterConfig.scaledLayers(2));
    }

    @Test
    void theHeadReadsTheEncodersLastStateThenTheAdapters() {
        TaskSet set = Tasks.read("relation", relations);
        Labels labels = new Labels(set.labelsInOrder());
        MaskedLm lm = MaskedLm.load(model.toString());
        KadapterKnowledge k = (KadapterKnowledge) tiny().open(lm, 32, 3);
        KnowledgeStack stack = new KnowledgeStack(List.of(k));
        assertEquals(64, stack.headWidth(32), "[last ; adapter]: twice the hidden size");
        assertEquals(List.of(0, 0, 1), k.adapter().config().layers());
        try (TaskModel m = taskModel(lm, stack, Transfer.TOP, labels); NDManager s = Engines.newManager()) {
            Tensors.noGrad();
            List<Encoded> batch = encode(m, set);
            BertInput in = Batches.padded(batch.stream().map(Encoded::row).toList(), lm.tokenizer().padId(), lm.model().config());
            BertOutput plain = lm.model().forward(s, in, false);
            BertInput all = BertInput.builder().setInputIds(in.inputIds()).optPaddingMask(in.paddingMask()).optAllHiddenStates(true).build();
            BertOutput out = stack.headStates(all, lm.model().forward(s, all, false), false);
            long b = in.batchSize();
            long t = in.length();
            assertArrayEquals(new long[] {b, t, 64}, out.lastHidden().getShape().getShape(), "(B, T, 2H)");
            assertEquals(3, out.hiddenStates().size(), "the encoder's own states stay");
            float[] head = out.lastHidden().get(":, :, :32").toFloatArray();
            assertArrayEquals(plain.lastHidden().toFloatArray(), head, "the first half is the encoder's last state, bit for bit");
            float[] adapter = out.lastHidden().get(":, :, 32:").toFloatArray();
            // with init std 0.0002 the adapter starts close to the sum of the states it read: a_3 = h1 + (h0 + (h0 + small))
            float[] h0 = out.hiddenStates().get(0).toFloatArray();
            float[] h1 = out.hiddenStates().get(1).toFloatArray();
            double worst = 0;
            for (int i = 0; i < adapter.length; i++) {
                worst = Math.max(worst, Math.abs(adapter[i] - (h1[i] + 2 * h0[i])));
            }
            assertTrue(worst < 0.05 && worst > 0, "the adapter's residual path, plus its small learned part: " + worst);
            NDArray pooled = m.pooled(s, batch, false);
            assertArrayEquals(new long[] {1, batch.size(), 128}, pooled.getShape().getShape(), "(S, N, 2 groups x 2H)");
        }
    }

    @Test
    void withoutAnOutputModuleThePlainPathIsTheSameOpsAndBits() {
        TaskSet set = Tasks.read("relation", relations);
        Labels labels = new Labels(set.labelsInOrder());
        MaskedLm lm = MaskedLm.load(model.toString());
        try (TaskModel m = taskModel(lm, KnowledgeStack.NONE, Transfer.FULL, labels); NDManager s = Engines.newManager()) {
            Tensors.noGrad();
            List<Encoded> batch = encode(m, set);
            BertInput in = Batches.padded(batch.stream().map(Encoded::row).toList(), lm.tokenizer().padId(), lm.model().config());
            BertOutput out = lm.model().forward(s, in, false);
            assertSame(out, KnowledgeStack.NONE.headStates(in, out, true), "no module: the encoder's output itself, no copy, no op");
            assertEquals(false, KnowledgeStack.NONE.readsAllHiddenStates(), "and no extra hidden states asked of the encoder");
            float[] direct = m.head().logits(s, out, batch, in.length()).toFloatArray();
            assertArrayEquals(direct, m.logits(s, batch, false).toFloatArray(), "TaskModel's logits are the head on the encoder, bit for bit");
        }
    }

    @Test
    void savedAndLoadedItGivesTheSameLogits() {
        TaskSet set = Tasks.read("relation", relations);
        Labels labels = new Labels(set.labelsInOrder());
        MaskedLm lm = MaskedLm.load(model.toString());
        Path dir = tmp.resolve("saved");
        float[] before;
        try (TaskModel m = taskModel(lm, new KnowledgeStack(List.of(tiny().open(lm, 32, 4))), Transfer.FULL, labels);
                NDManager s = Engines.newManager()) {
            Tensors.noGrad();
            before = m.logits(s, encode(m, set), false).toFloatArray();
            m.save(dir, Provenance.of("finetuned-model"), model.toString(), false);
        }
        assertTrue(Files.exists(dir.resolve(KadapterKnowledge.WEIGHTS)) && Files.exists(dir.resolve(KadapterKnowledge.CONFIG)));
        try (TaskModel back = TaskModel.load(dir); NDManager s = Engines.newManager()) {
            assertEquals("kadapter", back.knowledge().describe());
            assertArrayEquals(before, back.logits(s, encode(back, set), false).toFloatArray(), "the same logits after save and load");
        }
        // with the encoder saved too (--train-backbone), the head is 2H wide: no transformers task class reads it
        Path withEncoder = tmp.resolve("with-encoder");
        try (TaskModel m = TaskModel.load(dir)) {
            m.save(withEncoder, Provenance.of("finetuned-model"));
        }
        try (TaskModel back = TaskModel.load(withEncoder); NDManager s = Engines.newManager()) {
            assertArrayEquals(before, back.logits(s, encode(back, set), false).toFloatArray(), "and with the encoder in the directory");
        }
    }

    @Test
    void itStacksWithALoraInsideTheEncoder() {
        TaskSet set = Tasks.read("relation", relations);
        Labels labels = new Labels(set.labelsInOrder());
        float[] alone;
        MaskedLm lm = MaskedLm.load(model.toString());
        try (TaskModel m = taskModel(lm, new KnowledgeStack(List.of(tiny().open(lm, 32, 4))), Transfer.FULL, labels);
                NDManager s = Engines.newManager()) {
            Tensors.noGrad();
            alone = m.logits(s, encode(m, set), false).toFloatArray();
        }
        MaskedLm lm2 = MaskedLm.load(model.toString());
        KnowledgeStack both = new KnowledgeStack(List.of(dev.infuse.inject.adapter.LoraSpec.defaults().open(lm2, 32, 1), tiny().open(lm2, 32, 4)));
        assertEquals("lora+kadapter", both.describe());
        try (TaskModel m = taskModel(lm2, both, Transfer.FULL, labels); NDManager s = Engines.newManager()) {
            assertEquals(1, lm2.model().hooks().size(), "the LoRA sits inside the encoder");
            // LoRA's B starts at zero, so the encoder computes what it did without it, and the adapter after it reads the same states
            assertArrayEquals(alone, m.logits(s, encode(m, set), false).toFloatArray());
        }
    }

    @Test
    void transfersThatReadOtherStatesAreRefused() {
        TaskSet set = Tasks.read("relation", relations);
        Labels labels = new Labels(set.labelsInOrder());
        MaskedLm lm = MaskedLm.load(model.toString());
        KnowledgeStack stack = new KnowledgeStack(List.of(tiny().open(lm, 32, 3)));
        InfuseException e = assertThrows(InfuseException.class, () -> taskModel(lm, stack, Transfer.MIX, labels));
        assertEquals("kadapter feeds the head through a module after the encoder, which transfer mix does not read; use --transfer top or full",
                e.getMessage());
        stack.close();
        lm.close();
    }

    @Test
    void aSavedAdapterForAnotherModelIsRefused() {
        MaskedLm lm = MaskedLm.load(model.toString());
        InfuseException e = assertThrows(InfuseException.class, () -> new KadapterSpec(List.of(0, 3), 16, 1, 2, 32).open(lm, 32, 1));
        assertTrue(e.getMessage().contains("adapter layer reads hidden state 3, the model has 0..2"), e.getMessage());
        assertNotEquals(null, lm);
        lm.close();
    }
}
