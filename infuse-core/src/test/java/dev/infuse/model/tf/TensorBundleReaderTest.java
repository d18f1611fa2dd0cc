package dev.infuse.model.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBundleReaderTest {
    @TempDir
    Path dir;

    private static float[] floats(HostTensor t) {
        float[] a = new float[t.data().remaining()];
        t.data().duplicate().get(a);
        return a;
    }

    @Test
    void roundTripsEveryTensorExactly() throws IOException {
        TinyBert bert = new TinyBert("", 1);
        Path prefix = dir.resolve("bert_model.ckpt");
        bert.writer().write(prefix);

        TensorBundleReader r = TensorBundleReader.open(prefix);
        List<String> sorted = new ArrayList<>(bert.shapes.keySet());
        sorted.sort(null);
        assertEquals(sorted, new ArrayList<>(r.entries().keySet()), "entries in stored (sorted) order");
        for (String name : sorted) {
            TensorBundleReader.Entry e = r.entries().get(name);
            assertEquals("DT_FLOAT", e.dtypeName());
            assertArrayEquals(bert.shapes.get(name), e.shape(), name);
            HostTensor t = r.readFloat(name);
            assertArrayEquals(bert.shapes.get(name), t.shape(), name);
            assertArrayEquals(bert.values.get(name), floats(t), name); // exact: no conversion happened
        }
    }

    @Test
    void readsMultipleShardsAndBigEndianBundles() throws IOException {
        TinyBert bert = new TinyBert("module/", 2);
        TensorBundleWriter w = new TensorBundleWriter();
        w.numShards = 3;
        w.order = ByteOrder.BIG_ENDIAN;
        w.blockSize = 4096; // one data block, many restarts
        bert.shapes.forEach((n, s) -> w.addFloat(n, s, bert.values.get(n)));
        Path prefix = dir.resolve("variables");
        w.write(prefix);
        assertTrue(Files.exists(dir.resolve("variables.data-00002-of-00003")));

        TensorBundleReader r = TensorBundleReader.open(dir.resolve("variables.index")); // .index path accepted too
        assertEquals(bert.shapes.size(), r.entries().size());
        for (String name : bert.shapes.keySet()) {
            assertArrayEquals(bert.values.get(name), floats(r.readFloat(name)), name);
        }
    }

    @Test
    void widensHalfAndBfloat16AndRefusesIntegers() throws IOException {
        // IEEE half bit patterns: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 1.5, -0, +inf
        short[] half = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x3E00, (short) 0x8000, 0x7C00};
        float[] halfValues = {1f, -2f, 65504f, 0x1p-24f, 1.5f, -0f, Float.POSITIVE_INFINITY};
        float[] bf16Values = {1f, -3.5f, 0x1p-100f};
        ByteBuffer h = ByteBuffer.allocate(2 * half.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : half) {
            h.putShort(s);
        }
        ByteBuffer b = ByteBuffer.allocate(2 * bf16Values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : bf16Values) {
            b.putShort((short) (Float.floatToIntBits(f) >>> 16)); // these values fit bfloat16 exactly
        }
        ByteBuffer step = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000L);
        Path prefix = dir.resolve("model.ckpt-7");
        new TensorBundleWriter()
                .addRaw("h", TensorBundleReader.DT_HALF, new long[] {7}, h.array())
                .addRaw("b", TensorBundleReader.DT_BFLOAT16, new long[] {3, 1}, b.array())
                .addRaw("global_step", 9, new long[0], step.array())
                .write(prefix);

        TensorBundleReader r = TensorBundleReader.open(dir); // single *.ckpt*.index in the folder
        assertArrayEquals(halfValues, floats(r.readFloat("h")));
        assertArrayEquals(bf16Values, floats(r.readFloat("b")));
        TensorBundleReader.Entry gs = r.entries().get("global_step");
        assertEquals("DT_INT64", gs.dtypeName());
        assertEquals(0, gs.shape().length);
        InfuseException e = assertThrows(InfuseException.class, () -> r.readFloat("global_step"));
        assertTrue(e.getMessage().contains("model.ckpt-7.index") && e.getMessage().contains("DT_INT64"), e.getMessage());
    }

    private Path tinyBundle() throws IOException {
        Path prefix = dir.resolve("bert_model.ckpt");
        new TinyBert("", 3).writer().write(prefix);
        return prefix;
    }

    private static void assertFails(Executable call, String... fragments) {
        InfuseException e = assertThrows(InfuseException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    private interface Executable {
        void run() throws Exception;
    }

    @Test
    void truncatedIndexIsReported() throws IOException {
        Path index = TensorBundleReader.sibling(tinyBundle(), ".index");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, Arrays.copyOf(bytes, 30));
        assertFails(() -> TensorBundleReader.open(dir), "bert_model.ckpt.index", "truncated");
        Files.write(index, Arrays.copyOf(bytes, bytes.length - 100)); // footer gone: tail is block bytes
        assertFails(() -> TensorBundleReader.open(dir), "bert_model.ckpt.index", "magic");
    }

    @Test
    void badMagicIsReported() throws IOException {
        Path index = TensorBundleReader.sibling(tinyBundle(), ".index");
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length - 1] ^= 1;
        Files.write(index, bytes);
        assertFails(() -> TensorBundleReader.open(dir), "bert_model.ckpt.index", "bad magic");
    }

    @Test
    void corruptBlockAndCompressedBlockAreReported() throws IOException {
        Path prefix = tinyBundle();
        Path index = TensorBundleReader.sibling(prefix, ".index");
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(index, bytes);
        assertFails(() -> TensorBundleReader.open(prefix), "bert_model.ckpt.index", "CRC32C");

        TensorBundleWriter w = new TinyBert("", 3).writer();
        w.compressionType = 1;
        w.write(prefix);
        assertFails(() -> TensorBundleReader.open(prefix), "bert_model.ckpt.index", "snappy", "uncompressed");
    }

    @Test
    void missingShardIsReported() throws IOException {
        Path prefix = tinyBundle();
        Files.delete(dir.resolve("bert_model.ckpt.data-00000-of-00001"));
        assertFails(() -> TensorBundleReader.open(prefix), "bert_model.ckpt.data-00000-of-00001", "missing");
    }

    @Test
    void offsetBeyondShardIsReported() throws IOException {
        Path prefix = tinyBundle();
        Path data = dir.resolve("bert_model.ckpt.data-00000-of-00001");
        TensorBundleReader ok = TensorBundleReader.open(prefix);
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length - 4));
        assertFails(() -> TensorBundleReader.open(prefix), "bert_model.ckpt.data-00000-of-00001", "truncated");
        // A reader opened before the truncation still checks bounds when it maps.
        String last = new ArrayList<>(ok.entries().values()).stream()
                .max((a, b) -> Long.compare(a.offset(), b.offset())).orElseThrow().name();
        assertFails(() -> ok.readFloat(last), "bert_model.ckpt.data-00000-of-00001", last);
    }

    @Test
    void corruptTensorBytesFailTheChecksum() throws IOException {
        Path prefix = tinyBundle();
        Path data = dir.resolve("bert_model.ckpt.data-00000-of-00001");
        TensorBundleReader r = TensorBundleReader.open(prefix);
        TensorBundleReader.Entry e = r.entries().get("bert/pooler/dense/kernel");
        byte[] bytes = Files.readAllBytes(data);
        bytes[(int) e.offset() + 5] ^= 1;
        Files.write(data, bytes);
        assertFails(() -> r.readFloat(e.name()), "bert_model.ckpt.data-00000-of-00001", e.name(), "CRC32C");
        assertFails(() -> r.readFloat("no/such/tensor"), "bert_model.ckpt.index", "no/such/tensor");
    }

    @Test
    void findsPrefixInKnownLayouts() throws IOException {
        TensorBundleWriter w = new TensorBundleWriter().addFloat("x", new long[] {1}, new float[] {1});
        assertFails(() -> TensorBundleReader.findCheckpointPrefix(dir), "no TensorFlow checkpoint", dir.toString());
        assertFails(() -> TensorBundleReader.findCheckpointPrefix(dir.resolve("nope")), "nope");

        Path saved = Files.createDirectories(dir.resolve("saved/variables"));
        w.write(saved.resolve("variables"));
        assertEquals(saved.resolve("variables"), TensorBundleReader.findCheckpointPrefix(dir.resolve("saved")));

        Path multi = Files.createDirectories(dir.resolve("multi"));
        w.write(multi.resolve("model.ckpt-100"));
        w.write(multi.resolve("model.ckpt-200"));
        assertFails(() -> TensorBundleReader.findCheckpointPrefix(multi), "2 checkpoints", "model.ckpt-100");
        Files.writeString(multi.resolve("checkpoint"), "model_checkpoint_path: \"/elsewhere/model.ckpt-200\"\n"
                + "all_model_checkpoint_paths: \"model.ckpt-100\"\n");
        assertEquals(multi.resolve("model.ckpt-200"), TensorBundleReader.findCheckpointPrefix(multi));

        w.write(multi.resolve("bert_model.ckpt")); // Google's name wins over any other
        assertEquals(multi.resolve("bert_model.ckpt"), TensorBundleReader.findCheckpointPrefix(multi));
    }
}
