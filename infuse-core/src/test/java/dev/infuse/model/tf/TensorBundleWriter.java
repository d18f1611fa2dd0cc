package dev.infuse.model.tf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Test-only writer of TF tensor bundles, written from the format description (not from TF's code), so
 * the reader can be checked against files whose every byte we control. Small blocks and a short restart
 * interval force multi-block indexes and prefix-compressed keys even for a handful of tensors.
 */
final class TensorBundleWriter {
    /** One tensor: raw bytes in the bundle's byte order. */
    record Tensor(String name, int dtype, long[] shape, byte[] bytes) {}

    private final Map<String, Tensor> tensors = new TreeMap<>(); // ASCII names: String order == byte order
    int blockSize = 200;
    int restartInterval = 3;
    int numShards = 1;
    int compressionType = 0;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    TensorBundleWriter addFloat(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return addRaw(name, TensorBundleReader.DT_FLOAT, shape, b.array());
    }

    TensorBundleWriter addRaw(String name, int dtype, long[] shape, byte[] bytes) {
        tensors.put(name, new Tensor(name, dtype, shape, bytes));
        return this;
    }

    /** Writes {@code prefix.index} and {@code prefix.data-0000S-of-0000N}. */
    void write(Path prefix) throws IOException {
        ByteArrayOutputStream[] shards = new ByteArrayOutputStream[numShards];
        for (int s = 0; s < numShards; s++) {
            shards[s] = new ByteArrayOutputStream();
        }
        List<byte[][]> kvs = new ArrayList<>();
        kvs.add(new byte[][] {new byte[0], header()});
        int i = 0;
        for (Tensor t : tensors.values()) {
            int shard = i++ % numShards;
            long offset = shards[shard].size();
            shards[shard].write(t.bytes());
            CRC32C crc = new CRC32C();
            crc.update(t.bytes());
            kvs.add(new byte[][] {t.name().getBytes(StandardCharsets.UTF_8),
                    entry(t, shard, offset, SsTable.mask((int) crc.getValue()))});
        }
        for (int s = 0; s < numShards; s++) {
            Files.write(TensorBundleReader.shardPath(prefix, s, numShards), shards[s].toByteArray());
        }
        Files.write(TensorBundleReader.sibling(prefix, ".index"), table(kvs));
    }

    private byte[] header() {
        Proto p = new Proto().varint(1, numShards);
        if (order == ByteOrder.BIG_ENDIAN) {
            p.varint(2, 1);
        }
        return p.message(3, new Proto().varint(1, 1)).bytes(); // VersionDef{producer: 1}
    }

    private static byte[] entry(Tensor t, int shard, long offset, int crc) {
        Proto shape = new Proto();
        for (long d : t.shape()) {
            shape.message(2, new Proto().varint(1, d));
        }
        Proto p = new Proto().varint(1, t.dtype()).message(2, shape);
        if (shard != 0) {
            p.varint(3, shard);
        }
        if (offset != 0) {
            p.varint(4, offset);
        }
        return p.varint(5, t.bytes().length).fixed32(6, crc).bytes();
    }

    /** Data blocks, empty metaindex block, index block, footer. */
    private byte[] table(List<byte[][]> kvs) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<byte[][]> index = new ArrayList<>();
        int start = 0;
        while (start < kvs.size()) {
            int end = start;
            int bytes = 0;
            while (end < kvs.size() && (end == start || bytes < blockSize)) {
                bytes += kvs.get(end)[0].length + kvs.get(end)[1].length + 3;
                end++;
            }
            long offset = file.size();
            byte[] block = block(kvs.subList(start, end), restartInterval);
            writeBlock(file, block);
            // The last key of a block is a valid separator: >= its keys, < the next block's.
            index.add(new byte[][] {kvs.get(end - 1)[0], new Proto().raw(offset).raw(block.length).bytes()});
            start = end;
        }
        long metaOffset = file.size();
        byte[] meta = block(List.of(), 1);
        writeBlock(file, meta);
        long indexOffset = file.size();
        byte[] indexBlock = block(index, 1);
        writeBlock(file, indexBlock);
        byte[] handles = new Proto().raw(metaOffset).raw(meta.length).raw(indexOffset).raw(indexBlock.length).bytes();
        ByteBuffer footer = ByteBuffer.allocate(SsTable.FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        footer.put(handles).position(SsTable.FOOTER_LENGTH - 8);
        footer.putLong(SsTable.MAGIC);
        file.writeBytes(footer.array());
        return file.toByteArray();
    }

    private static byte[] block(List<byte[][]> kvs, int restartInterval) {
        Proto p = new Proto();
        List<Integer> restarts = new ArrayList<>();
        byte[] last = new byte[0];
        for (int i = 0; i < kvs.size(); i++) {
            byte[] key = kvs.get(i)[0];
            byte[] value = kvs.get(i)[1];
            int shared = 0;
            if (i % restartInterval == 0) {
                restarts.add(p.size());
            } else {
                while (shared < Math.min(last.length, key.length) && last[shared] == key[shared]) {
                    shared++;
                }
            }
            p.raw(shared).raw(key.length - shared).raw(value.length);
            p.out.write(key, shared, key.length - shared);
            p.out.writeBytes(value);
            last = key;
        }
        if (restarts.isEmpty()) {
            restarts.add(0);
        }
        ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        restarts.forEach(tail::putInt);
        tail.putInt(restarts.size());
        p.out.writeBytes(tail.array());
        return p.bytes();
    }

    private void writeBlock(ByteArrayOutputStream file, byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block);
        crc.update(compressionType);
        file.writeBytes(block);
        file.write(compressionType);
        ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(SsTable.mask((int) crc.getValue()));
        file.writeBytes(c.array());
    }

    /** A minimal protobuf encoder. */
    static final class Proto {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Proto varint(int field, long v) {
            return raw(field << 3).raw(v);
        }

        Proto fixed32(int field, int v) {
            raw(field << 3 | 5);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
            return this;
        }

        Proto message(int field, Proto m) {
            byte[] b = m.bytes();
            raw(field << 3 | 2).raw(b.length);
            out.writeBytes(b);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
