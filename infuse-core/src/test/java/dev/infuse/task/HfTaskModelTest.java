package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Provenance;
import dev.infuse.model.Batches;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.InputRow;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.task.ner.NerSet;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import dev.infuse.text.Tokenizers;
import dev.infuse.train.TinyRun;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fine-tuned model's directory read the way transformers reads it: the encoder under {@code bert.*}, the head
 * under the task class's names, the labels from {@code config.json}. The logits computed from those files by
 * the task class's own formula must equal infuse's.
 */
class HfTaskModelTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path ner;
    static Path classify;
    static Path typing;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        ner = run("ner", TinyTasks.ner(tmp.resolve("n.conll"), 40, 1), Transfer.FULL);
        classify = run("classify", TinyTasks.classify(tmp.resolve("c.jsonl"), 40, 2), Transfer.FULL);
        typing = run("typing", TinyTasks.typing(tmp.resolve("t.jsonl"), 40, 3), Transfer.MIX);
    }

    static Path run(String task, Path data, Transfer transfer) {
        Path out = tmp.resolve(task + "-out");
        FineTuning.run(new FinetuneJob(model.toString(), task, data, data, transfer, 0, 8, 32, 2e-3f, 1, 12, 12, 3, 0.1f, 3, out, false,
                false), List.of(), FineTuningTest.QUIET);
        return out;
    }

    static JsonObject config(Path dir) throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
    }

    @Test
    void nerIsATokenClassificationModelWhoseFirstPieceLogitsAreInfuses() throws Exception {
        JsonObject c = config(ner);
        assertEquals("BertForTokenClassification", c.getAsJsonArray("architectures").get(0).getAsString());
        Map<String, HostTensor> file = Safetensors.read(ner.resolve("model.safetensors"));
        assertTrue(file.containsKey("classifier.weight") && file.containsKey("bert.encoder.layer.0.output.dense.weight"), file.keySet().toString());
        assertTrue(!Files.exists(ner.resolve(TaskModel.HEAD_FILE)));
        try (TaskModel m = TaskModel.load(ner)) {
            assertEquals(m.labels().names(), HfTaskLayout.labelsOf(c));
            for (int i = 0; i < m.labels().size(); i++) {
                assertEquals(i, c.getAsJsonObject("label2id").get(m.labels().name(i)).getAsInt());
            }
            String text = "the cat sat in the park with birds";
            Encoding e = m.lm().tokenizer().encode(text);
            float[][] hidden = lastHidden(ner, e);
            float[][] all = linear(hidden, file.get("classifier.weight"), file.get("classifier.bias")); // every piece, as transformers
            NerSet set = new NerSet(List.of(new dev.infuse.task.ner.NerSentence(List.of(text.split(" ")),
                    java.util.Collections.nCopies(8, "O"), 1)));
            Encoded enc = set.encode(0, m.encoder(), m.maxSeqLength(), m.labels());
            float[] ours = logits(m, enc);
            int c2 = m.labels().size();
            for (int t = 0; t < enc.targets().size(); t++) {
                int piece = enc.targets().get(t).groups()[0][0];
                for (int k = 0; k < c2; k++) {
                    assertEquals(all[piece][k], ours[t * c2 + k], 1e-5, "word " + t + " label " + k);
                }
            }
        }
        String card = Files.readString(ner.resolve("README.md"));
        assertTrue(card.contains(model.toString()) && card.contains("AutoModelForTokenClassification"), card);
    }

    @Test
    void classificationGoesThroughAScaledIdentityPoolerAndReadsBackBitForBit() throws Exception {
        JsonObject c = config(classify);
        assertEquals("BertForSequenceClassification", c.getAsJsonArray("architectures").get(0).getAsString());
        Map<String, HostTensor> file = Safetensors.read(classify.resolve("model.safetensors"));
        try (TaskModel m = TaskModel.load(classify)) {
            Encoding e = m.lm().tokenizer().encode("a dog ran to the sea");
            float[][] hidden = lastHidden(classify, e);
            float[][] pooled = linear(new float[][] {hidden[0]}, file.get("bert.pooler.dense.weight"), file.get("bert.pooler.dense.bias"));
            for (int i = 0; i < pooled[0].length; i++) {
                pooled[0][i] = (float) Math.tanh(pooled[0][i]);
            }
            float[] hf = linear(pooled, file.get("classifier.weight"), file.get("classifier.bias"))[0];
            ClassifySetFor one = new ClassifySetFor("a dog ran to the sea");
            float[] ours = logits(m, one.set.encode(0, m.encoder(), m.maxSeqLength(), m.labels()));
            for (int k = 0; k < hf.length; k++) {
                assertEquals(ours[k], hf[k], 1e-4 * Math.max(1, Math.abs(ours[k])), "label " + k);
            }
            // Saved again, the file is the same: scaling by 2^16 and back is exact.
            Path again = tmp.resolve("classify-again");
            m.save(again, Provenance.of("test"));
            assertEquals(-1L, Files.mismatch(classify.resolve("model.safetensors"), again.resolve("model.safetensors")));
        }
    }

    /** A one-example classification set, label unknown. */
    record ClassifySetFor(dev.infuse.task.classify.ClassifySet set) {
        ClassifySetFor(String text) {
            this(new dev.infuse.task.classify.ClassifySet(List.of(new dev.infuse.task.classify.ClassifySet.Example(text, "animal"))));
        }
    }

    @Test
    void aHeadTransformersCannotPoolNamesThePlainEncoderAndStillReadsBack() throws Exception {
        JsonObject c = config(typing);
        assertEquals("BertModel", c.getAsJsonArray("architectures").get(0).getAsString());
        assertTrue(c.getAsJsonObject(HfTaskLayout.CONFIG_KEY).get("reads").getAsString().contains("scalar_mix"));
        try (TaskModel m = TaskModel.load(typing)) {
            assertEquals(Transfer.MIX, m.transfer());
        }
    }

    @Test
    void aModelWithItsHeadInASeparateFileStillLoads() throws Exception {
        Path old = tmp.resolve("old-layout");
        Files.createDirectories(old);
        for (String f : List.of("config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json",
                TaskModel.TASK_FILE)) {
            if (Files.exists(ner.resolve(f))) {
                Files.copy(ner.resolve(f), old.resolve(f));
            }
        }
        Map<String, HostTensor> all = new LinkedHashMap<>(Safetensors.read(ner.resolve("model.safetensors")));
        Map<String, HostTensor> head = new LinkedHashMap<>();
        head.put(TaskHead.WEIGHT, all.remove(TaskHead.WEIGHT));
        head.put(TaskHead.BIAS, all.remove(TaskHead.BIAS));
        Safetensors.write(old.resolve("model.safetensors"), all);
        Safetensors.write(old.resolve(TaskModel.HEAD_FILE), head);
        Path test = TinyTasks.ner(tmp.resolve("old-test.conll"), 10, 9);
        try (TaskModel a = TaskModel.load(ner); TaskModel b = TaskModel.load(old)) {
            TaskSet set = Tasks.read("ner", test);
            assertEquals(Predictor.evaluate(a, set, 4, FineTuningTest.QUIET).primary(), Predictor.evaluate(b, set, 4, FineTuningTest.QUIET).primary());
        }
    }

    @Test
    void aMissingHeadIsOneLineNamingIt() throws Exception {
        Path broken = tmp.resolve("no-head");
        Files.createDirectories(broken);
        try (var files = Files.list(ner)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, broken.resolve(f.getFileName()));
            }
        }
        Map<String, HostTensor> all = new LinkedHashMap<>(Safetensors.read(ner.resolve("model.safetensors")));
        all.remove(TaskHead.WEIGHT);
        Safetensors.write(broken.resolve("model.safetensors"), all);
        InfuseException e = assertThrows(InfuseException.class, () -> TaskModel.load(broken));
        assertTrue(e.getMessage().contains("classifier.weight is missing"), e.getMessage());
    }

    /** infuse's logits (targets × labels, flattened) for one encoded example. */
    static float[] logits(TaskModel m, Encoded e) {
        Tensors.noGrad();
        try (NDManager s = Engines.newManager()) {
            return m.logits(s, List.of(e), false).toFloatArray();
        }
    }

    /** The last hidden states (T, H) of the encoder stored in {@code dir}, loaded on its own from the file's {@code bert.*} tensors. */
    static float[][] lastHidden(Path dir, Encoding e) {
        Map<String, HostTensor> encoder = new LinkedHashMap<>();
        Safetensors.read(dir.resolve("model.safetensors")).forEach((k, v) -> {
            if (!k.startsWith("classifier.")) {
                encoder.put(k, v);
            }
        });
        BertConfig config = BertConfig.read(dir.resolve("config.json"));
        Tensors.noGrad();
        try (BertModel bert = BertModel.load(config, encoder, "test"); NDManager s = Engines.newManager()) {
            Tokenizer tok = Tokenizers.load(dir);
            float[] flat = bert.forward(s, Batches.padded(List.of(InputRow.of(e.ids())), tok.padId(), config), false).lastHidden().toFloatArray();
            int h = config.hiddenSize();
            float[][] out = new float[flat.length / h][h];
            for (int t = 0; t < out.length; t++) {
                System.arraycopy(flat, t * h, out[t], 0, h);
            }
            return out;
        }
    }

    /** x W^T + b in plain Java, as torch.nn.Linear computes it. */
    static float[][] linear(float[][] x, HostTensor w, HostTensor b) {
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        FloatBuffer wb = w.data().duplicate();
        FloatBuffer bb = b.data().duplicate();
        float[][] y = new float[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = bb.get(o);
                for (int i = 0; i < in; i++) {
                    acc += (double) x[t][i] * wb.get(o * in + i);
                }
                y[t][o] = (float) acc;
            }
        }
        return y;
    }
}
