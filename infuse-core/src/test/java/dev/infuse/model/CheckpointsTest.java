package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path dir;

    static float[] run(BertModel model) {
        try (NDManager m = Engines.newManager()) {
            BertInput in = BertInput.builder().setInputIds(new long[][] {{1, 5, 6, 2}}).build();
            return model.mlmLogits(model.mlmTransform(model.forward(m, in, false).lastHidden())).toFloatArray();
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws IOException {
        try (BertModel a = BertModel.random(BertConfig.tiny(40), 11)) {
            Checkpoints.writeHuggingFace(a, dir);
            try (BertModel b = Checkpoints.readHuggingFace(dir)) {
                assertArrayEquals(run(a), run(b));
                assertEquals(a.config(), b.config());
            }
        }
        String header = header(dir.resolve("model.safetensors"));
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"bert.embeddings.LayerNorm.bias\""), header);
        assertTrue(header.indexOf("bert.encoder.layer.0") < header.indexOf("bert.encoder.layer.1"));
        assertTrue(header.indexOf("bert.pooler") < header.indexOf("cls.predictions.bias"));
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
    }

    @Test
    void halfAndBfloat16AreWidened() throws IOException {
        // 1.5 in bf16 is 0x3FC0; in fp16 it is 0x3E00. -2 is 0xC000 in both.
        Path f = dir.resolve("w.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]}}", new short[] {0x3FC0, (short) 0xC000, 0x3E00, (short) 0xC000});
        Map<String, HostTensor> t = Safetensors.read(f);
        assertEquals(1.5f, t.get("a").data().get(0));
        assertEquals(-2f, t.get("a").data().get(1));
        assertEquals(1.5f, t.get("b").data().get(0));
        assertEquals(-2f, t.get("b").data().get(1));
    }

    @Test
    void headerClaimingMoreBytesThanTheFileIsRefused() throws IOException {
        Path f = dir.resolve("model.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).putLong(0);
        Files.write(f, b.array());
        InfuseException e = assertThrows(InfuseException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("header claims 1000000 bytes but the file holds 8"), e.getMessage());
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new short[] {1, 2});
        e = assertThrows(InfuseException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("tensor a ends at byte"), e.getMessage());
    }

    @Test
    void unknownDtypeIsRefused() throws IOException {
        Path f = dir.resolve("model.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,4]}}", new short[] {1, 2});
        InfuseException e = assertThrows(InfuseException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("tensor a has dtype Q4; infuse reads F32, F16 and BF16"), e.getMessage());
    }

    @Test
    void wrongShapedAndMissingWeightsAreNamed() throws IOException {
        try (BertModel a = BertModel.random(BertConfig.tiny(40), 11)) {
            Map<String, HostTensor> w = new LinkedHashMap<>();
            a.parameters().forEach((k, v) -> w.put(k, Checkpoints.toHost(v)));
            w.put("bert.encoder.layer.1.attention.self.key.weight", new HostTensor(new long[] {32, 31}, FloatBuffer.allocate(32 * 31)));
            w.remove("bert.encoder.layer.0.output.dense.bias");
            w.put("bert.extra.thing", new HostTensor(new long[] {1}, FloatBuffer.allocate(1)));
            WeightLoader.Report r = WeightLoader.match(a.config(), w);
            assertEquals(java.util.List.of("bert.encoder.layer.0.output.dense.bias"), r.missing());
            assertEquals(java.util.List.of("bert.encoder.layer.1.attention.self.key.weight is [32, 31], expected [32, 32]"), r.misShaped());
            assertEquals(java.util.List.of("bert.extra.thing"), r.unexpected());
            InfuseException e = assertThrows(InfuseException.class, () -> BertModel.load(a.config(), w, "test.safetensors"));
            assertEquals("test.safetensors: missing 1 weights: bert.encoder.layer.0.output.dense.bias; mis-shaped weights: "
                    + "bert.encoder.layer.1.attention.self.key.weight is [32, 31], expected [32, 32]", e.getMessage());
        }
    }

    @Test
    void tfStyleAndUnprefixedNamesAreNormalised() {
        try (BertModel a = BertModel.random(BertConfig.tiny(40), 11)) {
            Map<String, HostTensor> w = new LinkedHashMap<>();
            a.parameters().forEach((k, v) -> {
                String n = k.startsWith("bert.") ? k.substring(5) : k;
                n = n.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
                w.put(n.equals("cls.predictions.bias") ? "cls.predictions.decoder.bias" : n, Checkpoints.toHost(v));
            });
            WeightLoader.Report r = WeightLoader.match(a.config(), w);
            assertTrue(r.ok(), r.problems());
            assertTrue(r.unexpected().isEmpty(), r.unexpected().toString());
        }
    }

    @Test
    void missingConfigAndUnknownModelTypeAreClearErrors() throws IOException {
        InfuseException e = assertThrows(InfuseException.class, () -> Checkpoints.readHuggingFace(dir));
        assertEquals("missing config.json: " + dir.resolve("config.json"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), BertConfig.tiny(40).toJson().replace("\"bert\"", "\"gpt2\""));
        e = assertThrows(InfuseException.class, () -> Checkpoints.readHuggingFace(dir));
        assertTrue(e.getMessage().endsWith("unknown model_type \"gpt2\": infuse reads bert and roberta"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), BertConfig.tiny(40).toJson().replace("\"hidden_size\": 32", "\"hidden_size\": 30"));
        e = assertThrows(InfuseException.class, () -> Checkpoints.readHuggingFace(dir));
        assertTrue(e.getMessage().endsWith("The hidden size (30) is not a multiple of the number of attention heads (4)"), e.getMessage());
    }

    static String header(Path f) throws IOException {
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(all, 8, (int) n, StandardCharsets.UTF_8).trim();
    }

    static void writeRaw(Path f, String header, short[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (short s : data) {
            b.putShort(s);
        }
        Files.write(f, b.array());
    }
}
