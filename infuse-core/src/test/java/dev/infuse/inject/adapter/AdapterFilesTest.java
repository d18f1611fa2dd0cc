package dev.infuse.inject.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.inject.SaveContext;
import dev.infuse.model.BertModel;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files PEFT and AdapterHub read: written with their names and fields, read back, and read when someone else wrote them. */
class AdapterFilesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void oneThread() {
        dev.infuse.train.TinyRun.oneThread();
    }

    static HostTensor tensor(long[] shape, long seed) {
        return new HostTensor(shape, FloatBuffer.wrap(AdapterFixtures.random(Math.toIntExact(HostTensor.numel(shape)), seed, 0.1)));
    }

    static float[] values(HostTensor t) {
        float[] v = new float[t.data().remaining()];
        t.data().duplicate().get(v);
        return v;
    }

    @Test
    void aLoraIsWrittenAsPeftWritesIt() throws Exception {
        Lora lora = (Lora) new LoraSpec(4, 16f, 0.1f, List.of("query", "value")).create(AdapterFixtures.TINY, 1);
        Map<String, HostTensor> head = Map.of("classifier.weight", tensor(new long[] {3, 32}, 1), "classifier.bias", tensor(new long[] {3}, 2));
        JsonObject entry = lora.save(tmp, new SaveContext("bert-base-uncased", "ner", head));
        JsonObject c = JsonParser.parseString(Files.readString(tmp.resolve("adapter_config.json"))).getAsJsonObject();
        assertEquals("LORA", c.get("peft_type").getAsString());
        assertEquals(4, c.get("r").getAsInt());
        assertEquals("16", c.get("lora_alpha").toString(), "an integral alpha is written as PEFT's int");
        assertEquals(0.1, c.get("lora_dropout").getAsDouble(), 1e-6);
        assertEquals("[\"query\",\"value\"]", c.get("target_modules").toString());
        assertEquals("none", c.get("bias").getAsString());
        assertEquals("TOKEN_CLS", c.get("task_type").getAsString());
        assertEquals("bert-base-uncased", c.get("base_model_name_or_path").getAsString());
        assertEquals("[\"classifier\"]", c.get("modules_to_save").toString());
        for (String k : List.of("fan_in_fan_out", "inference_mode", "init_lora_weights", "layers_to_transform", "revision", "use_rslora", "use_dora")) {
            assertTrue(c.has(k), "PEFT's field " + k);
        }
        Map<String, HostTensor> t = Safetensors.read(tmp.resolve("adapter_model.safetensors"));
        assertArrayEquals(new long[] {4, 32}, t.get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight").shape());
        assertArrayEquals(new long[] {32, 4}, t.get("base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight").shape());
        assertArrayEquals(values(head.get("classifier.weight")), values(t.get("base_model.model.classifier.weight")));
        assertTrue(t.containsKey("base_model.model.classifier.bias"));
        assertEquals(2 * 2 * 2 + 2, t.size(), "two modules in two layers, A and B each, and the head");
        assertEquals(64, entry.get("weights_sha256").getAsString().length());

        Lora back = PeftFiles.read(tmp, AdapterFixtures.TINY);
        assertEquals(lora.parameters().keySet(), back.parameters().keySet());
        assertEquals(4f, back.scale(), 0f, "lora_alpha 16 / r 4");
        assertArrayEquals(lora.parameters().values().iterator().next().toFloatArray(), back.parameters().values().iterator().next().toFloatArray());
        assertEquals(Map.of("classifier.weight", 1, "classifier.bias", 1).keySet(), back.head().keySet());
        lora.close();
        back.close();
    }

    /** A PEFT file as PEFT itself would save one for BERT NER: its names, its many config keys and some it may add later. */
    private void handMadePeft(Path dir, long[] queryA) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), """
                {
                  "alpha_pattern": {},
                  "auto_mapping": {"base_model_class": "BertForTokenClassification", "parent_library": "transformers.models.bert.modeling_bert"},
                  "base_model_name_or_path": "tiny",
                  "bias": "none",
                  "eva_config": null,
                  "exclude_modules": null,
                  "fan_in_fan_out": false,
                  "inference_mode": true,
                  "init_lora_weights": true,
                  "layer_replication": null,
                  "layers_pattern": null,
                  "layers_to_transform": null,
                  "loftq_config": {},
                  "lora_alpha": 4,
                  "lora_dropout": 0.05,
                  "megatron_config": null,
                  "megatron_core": "megatron.core",
                  "modules_to_save": ["classifier", "score"],
                  "peft_type": "LORA",
                  "r": 2,
                  "rank_pattern": {},
                  "revision": null,
                  "target_modules": ["value", "query"],
                  "task_type": "TOKEN_CLS",
                  "trainable_token_indices": null,
                  "use_dora": false,
                  "use_rslora": false,
                  "a_field_from_a_later_peft": {"nested": [1, 2]}
                }
                """);
        Map<String, HostTensor> t = new LinkedHashMap<>();
        long seed = 40;
        for (int l = 0; l < 2; l++) {
            for (String m : List.of("query", "value")) {
                String n = "base_model.model.bert.encoder.layer." + l + ".attention.self." + m;
                t.put(n + ".lora_A.weight", tensor(l == 0 && m.equals("query") ? queryA : new long[] {2, 32}, seed++));
                t.put(n + ".lora_B.weight", tensor(new long[] {32, 2}, seed++));
            }
        }
        t.put("base_model.model.classifier.weight", tensor(new long[] {5, 32}, 1));
        t.put("base_model.model.classifier.bias", tensor(new long[] {5}, 2));
        Safetensors.write(dir.resolve("adapter_model.safetensors"), t);
    }

    @Test
    void aPeftLoraInfuseDidNotWriteLoads() throws Exception {
        Path dir = tmp.resolve("peft");
        handMadePeft(dir, new long[] {2, 32});
        Map<String, HostTensor> file = Safetensors.read(dir.resolve("adapter_model.safetensors"));
        try (Lora lora = PeftFiles.read(dir, AdapterFixtures.TINY); BertModel m = AdapterFixtures.model()) {
            assertEquals(2f, lora.scale(), "lora_alpha 4 / r 2");
            assertEquals(0.05f, lora.spec().dropout(), 1e-7);
            assertTrue(lora.wraps(0, "attention.self.query") && lora.wraps(1, "attention.self.value"));
            assertFalse(lora.wraps(0, "attention.self.key"));
            String a = "base_model.model.bert.encoder.layer.1.attention.self.value.lora_A.weight";
            assertArrayEquals(values(file.get(a)), lora.parameters().get(a).toFloatArray());
            assertArrayEquals(new long[] {5, 32}, lora.head().get("classifier.weight").shape());
            float[] base = AdapterFixtures.hidden(m);
            m.addHook(lora);
            assertTrue(AdapterFixtures.maxDiff(base, AdapterFixtures.hidden(m)) > 1e-3, "the loaded LoRA acts on the model");
            m.removeHook(lora);
        }
    }

    @Test
    void aPeftFileWhoseShapesDisagreeWithTheModelIsOneLine() throws Exception {
        Path dir = tmp.resolve("bad");
        handMadePeft(dir, new long[] {3, 32});
        InfuseException e = assertThrows(InfuseException.class, () -> PeftFiles.read(dir, AdapterFixtures.TINY));
        assertTrue(e.getMessage().contains("layer.0.attention.self.query.lora_A.weight has shape [3, 32], but r and the model need [2, 32]"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aBottleneckAdapterIsWrittenWithAdapterHubsNamesAndReadBack() throws Exception {
        for (BottleneckAdapter.Layout layout : BottleneckAdapter.Layout.values()) {
            Path dir = tmp.resolve(layout.label());
            try (BottleneckAdapter a = BottleneckAdapter.create(layout, 8, AdapterFixtures.TINY, 9); BertModel m = AdapterFixtures.model()) {
                a.save(dir, new SaveContext("tiny", null, Map.of()));
                JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("adapter_config.json"))).getAsJsonObject();
                JsonObject c = o.getAsJsonObject("config");
                assertEquals(layout == BottleneckAdapter.Layout.HOULSBY, c.get("mh_adapter").getAsBoolean());
                assertEquals(layout == BottleneckAdapter.Layout.PFEIFFER, c.get("original_ln_before").getAsBoolean());
                assertEquals(layout == BottleneckAdapter.Layout.HOULSBY ? "swish" : "relu", c.get("non_linearity").getAsString());
                assertEquals(8, c.get("reduction_factor").getAsInt());
                assertEquals("infuse", o.get("name").getAsString());
                assertEquals(32, o.get("hidden_size").getAsInt());
                Map<String, HostTensor> t = Safetensors.read(dir.resolve("adapter.safetensors"));
                assertArrayEquals(new long[] {4, 32}, t.get("bert.encoder.layer.0.output.adapters.infuse.adapter_down.0.weight").shape());
                assertArrayEquals(new long[] {32, 4}, t.get("bert.encoder.layer.1.output.adapters.infuse.adapter_up.weight").shape());
                assertEquals(layout == BottleneckAdapter.Layout.HOULSBY,
                        t.containsKey("bert.encoder.layer.0.attention.output.adapters.infuse.adapter_up.bias"));
                m.addHook(a);
                float[] with = AdapterFixtures.hidden(m);
                m.removeHook(a);
                try (BottleneckAdapter back = AdapterHubFiles.read(dir, AdapterFixtures.TINY)) {
                    assertEquals(layout, back.layout());
                    m.addHook(back);
                    assertArrayEquals(with, AdapterFixtures.hidden(m), layout + " read back computes the same");
                    m.removeHook(back);
                }
            }
        }
    }

    @Test
    void anAdapterHubConfigWithGatingIsRefusedInOneLine() throws Exception {
        Path dir = tmp.resolve("gated");
        try (BottleneckAdapter a = BottleneckAdapter.create(BottleneckAdapter.Layout.PFEIFFER, 8, AdapterFixtures.TINY, 9)) {
            a.save(dir, new SaveContext("tiny", null, Map.of()));
        }
        Path f = dir.resolve("adapter_config.json");
        Files.writeString(f, Files.readString(f).replace("\"use_gating\": false", "\"use_gating\": true"));
        InfuseException e = assertThrows(InfuseException.class, () -> AdapterHubFiles.read(dir, AdapterFixtures.TINY));
        assertTrue(e.getMessage().endsWith("use_gating true is not supported by infuse's bottleneck adapters"), e.getMessage());
    }
}
