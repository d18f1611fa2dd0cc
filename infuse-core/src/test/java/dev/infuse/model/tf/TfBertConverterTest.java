package dev.infuse.model.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfBertConverterTest {
    @TempDir
    Path dir;

    /** The HF BertForMaskedLM + NSP head names for {@code layers} layers, in natural order. */
    static Set<String> expectedNames(int layers, boolean nsp) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : List.of("LayerNorm.bias", "LayerNorm.weight", "position_embeddings.weight",
                "token_type_embeddings.weight", "word_embeddings.weight")) {
            s.add("bert.embeddings." + n);
        }
        for (int l = 0; l < layers; l++) {
            for (String n : List.of("attention.output.LayerNorm", "attention.output.dense", "attention.self.key",
                    "attention.self.query", "attention.self.value", "intermediate.dense", "output.LayerNorm",
                    "output.dense")) {
                s.add("bert.encoder.layer." + l + "." + n + ".bias");
                s.add("bert.encoder.layer." + l + "." + n + ".weight");
            }
        }
        s.addAll(List.of("bert.pooler.dense.bias", "bert.pooler.dense.weight", "cls.predictions.bias",
                "cls.predictions.transform.LayerNorm.bias", "cls.predictions.transform.LayerNorm.weight",
                "cls.predictions.transform.dense.bias", "cls.predictions.transform.dense.weight"));
        if (nsp) {
            s.addAll(List.of("cls.seq_relationship.bias", "cls.seq_relationship.weight"));
        }
        return s;
    }

    static float[] floats(HostTensor t) {
        float[] a = new float[t.data().remaining()];
        t.data().duplicate().get(a);
        return a;
    }

    @Test
    void convertsGoogleFolderWithTrainingStateAndStrays() throws IOException {
        TinyBert bert = new TinyBert("", 11);
        TensorBundleWriter w = bert.writer();
        float[] zeros = new float[TinyBert.HIDDEN];
        w.addFloat("bert/pooler/dense/bias/adam_m", new long[] {TinyBert.HIDDEN}, zeros);
        w.addFloat("bert/pooler/dense/bias/adam_v", new long[] {TinyBert.HIDDEN}, zeros);
        w.addRaw("global_step", 9, new long[0], new byte[8]); // DT_INT64: must be skipped, not read
        w.addFloat("bert/encoder/layer_0/attention/self/relative_bias", new long[] {TinyBert.HIDDEN}, zeros);
        w.write(dir.resolve("bert_model.ckpt"));
        Files.writeString(dir.resolve("bert_config.json"), TinyBert.configJson(2));

        TfBertConverter.Converted c = TfBertConverter.convert(dir);

        assertEquals(List.copyOf(expectedNames(2, true)), new ArrayList<>(c.tensors().keySet()), "names and order");
        assertEquals(List.of("bert/encoder/layer_0/attention/self/relative_bias"), c.unmapped());
        assertEquals(Map.of("vocab_size", 20, "hidden_size", 8, "num_hidden_layers", 2, "num_attention_heads", 2,
                "intermediate_size", 16, "max_position_embeddings", 12, "type_vocab_size", 2), c.config());
        assertEquals(TfBertConverter.CONFIG_KEYS, new ArrayList<>(c.config().keySet()));

        for (Map.Entry<String, long[]> e : bert.shapes.entrySet()) {
            String hf = TfBertConverter.hfName(e.getKey()).orElseThrow();
            HostTensor t = c.tensors().get(hf);
            float[] tf = bert.values.get(e.getKey());
            long[] s = e.getValue();
            if (e.getKey().endsWith("/kernel")) {
                assertArrayEquals(new long[] {s[1], s[0]}, t.shape(), hf); // TF [in, out] -> HF [out, in]
                float[] got = floats(t);
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[1]; j++) {
                        assertEquals(tf[(int) (i * s[1] + j)], got[(int) (j * s[0] + i)], hf + "[" + j + "][" + i + "]");
                    }
                }
            } else {
                assertArrayEquals(s, t.shape(), hf);
                assertArrayEquals(tf, floats(t), hf);
            }
        }
        assertArrayEquals(new long[] {2, TinyBert.HIDDEN}, c.tensors().get("cls.seq_relationship.weight").shape(),
                "output_weights is already [2, H]: not transposed");
        assertArrayEquals(new long[] {TinyBert.INTER, TinyBert.HIDDEN},
                c.tensors().get("bert.encoder.layer.1.intermediate.dense.weight").shape());
    }

    @Test
    void savedModelLayoutWithModulePrefixFindsConfigAboveVariables() throws IOException {
        TinyBert bert = new TinyBert("module/", 12);
        Path vars = Files.createDirectories(dir.resolve("hub/variables"));
        bert.writer().write(vars.resolve("variables"));
        Files.writeString(dir.resolve("hub/bert_config.json"), TinyBert.configJson(4));

        TfBertConverter.Converted c = TfBertConverter.convert(dir.resolve("hub"));
        assertEquals(expectedNames(2, true), c.tensors().keySet());
        assertEquals(4, c.config().get("num_attention_heads"));
        assertEquals(vars.resolve("variables"), c.prefix());
        assertArrayEquals(bert.values.get("module/cls/predictions/output_bias"), floats(c.tensors().get("cls.predictions.bias")));
    }

    @Test
    void configProblemsAreReported() throws IOException {
        new TinyBert("", 13).writer().write(dir.resolve("bert_model.ckpt"));
        InfuseException noJson = assertThrows(InfuseException.class, () -> TfBertConverter.convert(dir));
        assertTrue(noJson.getMessage().contains("num_attention_heads") && noJson.getMessage().contains("bert_config.json"),
                noJson.getMessage()); // hidden 8 is not a multiple of 64: heads cannot be guessed

        Files.writeString(dir.resolve("bert_config.json"), TinyBert.configJson(2).replace("\"vocab_size\": 20", "\"vocab_size\": 30522"));
        InfuseException mismatch = assertThrows(InfuseException.class, () -> TfBertConverter.convert(dir));
        assertTrue(mismatch.getMessage().contains("bert_config.json") && mismatch.getMessage().contains("vocab_size is 30522")
                && mismatch.getMessage().contains("has 20"), mismatch.getMessage());

        Files.writeString(dir.resolve("bert_config.json"), TinyBert.configJson(3));
        InfuseException heads = assertThrows(InfuseException.class, () -> TfBertConverter.convert(dir));
        assertTrue(heads.getMessage().contains("does not divide hidden_size 8"), heads.getMessage());
    }

    @Test
    void missingEmbeddingsIsNotBert() throws IOException {
        new TensorBundleWriter().addFloat("foo/bar", new long[] {1}, new float[] {1}).write(dir.resolve("model.ckpt"));
        InfuseException e = assertThrows(InfuseException.class, () -> TfBertConverter.convert(dir));
        assertTrue(e.getMessage().contains("not a BERT checkpoint") && e.getMessage().contains("word_embeddings"), e.getMessage());
    }

    @Test
    void namesMapAsDocumented() {
        assertEquals(Optional.of("bert.encoder.layer.11.attention.output.LayerNorm.weight"),
                TfBertConverter.hfName("module/bert/encoder/layer_11/attention/output/LayerNorm/gamma"));
        assertEquals(Optional.of("bert.encoder.layer.3.output.dense.weight"),
                TfBertConverter.hfName("bert/encoder/layer_3/output/dense/kernel"));
        assertEquals(Optional.of("cls.predictions.bias"), TfBertConverter.hfName("cls/predictions/output_bias"));
        assertEquals(Optional.empty(), TfBertConverter.hfName("bert/encoder/layer_3/output/dense/gamma"));
        assertEquals(Optional.empty(), TfBertConverter.hfName("bert/encoder/layer_3/attention/self/query/kernel/adam_m"));
        assertTrue(TfBertConverter.isTrainingState("module/global_step"));
        assertTrue(TfBertConverter.compareNatural("bert.encoder.layer.10.x", "bert.encoder.layer.9.x") > 0);
        assertTrue(TfBertConverter.compareNatural("bert.pooler.dense.bias", "cls.predictions.bias") < 0);
    }

    @Test
    void transposeIsExactForNonSquareTiledShapes() {
        int rows = 70, cols = 131; // crosses the 64-wide tile edges
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        HostTensor transposed = new HostTensor(new long[] {cols, rows}, TfBertConverter.transpose(FloatBuffer.wrap(a), rows, cols));
        assertTrue(transposed.data().isDirect());
        float[] t = floats(transposed);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(a[i * cols + j], t[j * rows + i]);
            }
        }
    }
}
