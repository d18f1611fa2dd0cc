package dev.infuse.model.tf;

import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a TensorFlow tensor bundle (TF1 {@code tf.train.Saver} V2 checkpoints and SavedModel variables).
 *
 * <p>A bundle at prefix {@code p} is {@code p.index} (an SSTable: key "" is a BundleHeaderProto, every
 * other key is a tensor name whose value is a BundleEntryProto) plus data shards
 * {@code p.data-0000S-of-0000N} holding raw tensor bytes at the entry's offset. Float tensors are
 * returned as views of a memory map, so a 440 MB checkpoint costs no heap. The reader keeps no file open:
 * each read maps its region and closes the channel (a mapping outlives its channel).
 */
public final class TensorBundleReader {
    static final int DT_FLOAT = 1;
    static final int DT_BFLOAT16 = 14;
    static final int DT_HALF = 19;
    private static final Map<Integer, String> DTYPE_NAMES = Map.ofEntries(
            Map.entry(1, "DT_FLOAT"), Map.entry(2, "DT_DOUBLE"), Map.entry(3, "DT_INT32"), Map.entry(4, "DT_UINT8"),
            Map.entry(5, "DT_INT16"), Map.entry(6, "DT_INT8"), Map.entry(7, "DT_STRING"), Map.entry(9, "DT_INT64"),
            Map.entry(10, "DT_BOOL"), Map.entry(14, "DT_BFLOAT16"), Map.entry(19, "DT_HALF"));

    /**
     * One tensor's metadata. {@code shape} is TF's order (a dense kernel is [in, out]); {@code crc32c} is
     * TF's masked CRC32C of the tensor bytes; {@code numSlices} > 0 marks a partitioned variable.
     */
    public record Entry(String name, int dtype, long[] shape, int shardId, long offset, long size, int crc32c, int numSlices) {
        public Entry {
            if (name == null || shape == null) {
                throw new IllegalArgumentException("entry needs a name and a shape");
            }
            shape = shape.clone();
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "' has negative dimension in " + Arrays.toString(shape));
                }
            }
            if (shardId < 0 || offset < 0 || size < 0 || numSlices < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has negative shard/offset/size/slices");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** TF's name for the dtype, e.g. {@code DT_FLOAT}, or {@code DT_<code>} for ones we do not know. */
        public String dtypeName() {
            return DTYPE_NAMES.getOrDefault(dtype, "DT_" + dtype);
        }

        /** Whether {@link TensorBundleReader#readFloat} can read this tensor. */
        public boolean isFloatLike() {
            return numSlices == 0 && (dtype == DT_FLOAT || dtype == DT_HALF || dtype == DT_BFLOAT16);
        }
    }

    private final Path prefix;
    private final Path indexFile;
    private final int numShards;
    private final ByteOrder order;
    private final Map<String, Entry> entries;

    private TensorBundleReader(Path prefix, Path indexFile, int numShards, ByteOrder order, Map<String, Entry> entries) {
        this.prefix = prefix;
        this.indexFile = indexFile;
        this.numShards = numShards;
        this.order = order;
        this.entries = entries;
    }

    /**
     * Opens the bundle at {@code prefix} ({@code dir/bert_model.ckpt}, {@code variables/variables}); also
     * accepts the {@code .index} file itself or a folder (see {@link #findCheckpointPrefix}). Parses the
     * whole index and checks every entry against its shard file, so corrupt bundles fail here, not mid-load.
     */
    public static TensorBundleReader open(Path prefix) {
        if (Files.isDirectory(prefix)) {
            prefix = findCheckpointPrefix(prefix);
        } else if (prefix.getFileName() != null && prefix.getFileName().toString().endsWith(".index")) {
            String f = prefix.getFileName().toString();
            prefix = prefix.resolveSibling(f.substring(0, f.length() - ".index".length()));
        }
        Path index = sibling(prefix, ".index");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(index);
        } catch (IOException e) {
            throw new InfuseException("cannot read checkpoint index " + index + ": " + e.getMessage(), e);
        }
        return BundleIndex.parse(prefix, index, bytes);
    }

    /** Called by {@link BundleIndex} once the index is parsed; validates shards before handing out the reader. */
    static TensorBundleReader create(Path prefix, Path index, int numShards, ByteOrder order, Map<String, Entry> entries) {
        long[] shardSizes = new long[numShards];
        for (int s = 0; s < numShards; s++) {
            Path shard = shardPath(prefix, s, numShards);
            if (!Files.isRegularFile(shard)) {
                throw new InfuseException("checkpoint data shard " + shard + " is missing (index " + index.getFileName()
                        + " says the bundle has " + numShards + " shard(s))");
            }
            try {
                shardSizes[s] = Files.size(shard);
            } catch (IOException e) {
                throw new InfuseException("cannot read checkpoint data shard " + shard + ": " + e.getMessage(), e);
            }
        }
        for (Entry e : entries.values()) {
            if (e.shardId() >= numShards) {
                throw new InfuseException(index + ": tensor '" + e.name() + "' is in shard " + e.shardId()
                        + ", but the bundle has only " + numShards);
            }
            if (e.numSlices() == 0 && e.size() > shardSizes[e.shardId()] - e.offset()) { // overflow-safe form
                throw new InfuseException(shardPath(prefix, e.shardId(), numShards) + ": tensor '" + e.name()
                        + "' needs bytes [" + e.offset() + ", " + (e.offset() + e.size()) + ") but the file has "
                        + shardSizes[e.shardId()] + " (truncated?)");
            }
        }
        return new TensorBundleReader(prefix, index, numShards, order, Collections.unmodifiableMap(entries));
    }

    /**
     * Finds the bundle prefix in a folder: {@code bert_model.ckpt} (Google's release layout),
     * {@code variables/variables} (SavedModel / TF-Hub), {@code variables} (what {@link EasyBertArtifact}
     * extracts), else the single {@code *.ckpt*.index} present, else the latest one named by TF's
     * {@code checkpoint} file.
     */
    public static Path findCheckpointPrefix(Path dir) {
        return CheckpointFolder.findPrefix(dir);
    }

    public Path prefix() {
        return prefix;
    }

    /** All tensors, in the index's (sorted) order; non-float ones like {@code global_step} included. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * Reads a DT_FLOAT tensor as a read-only view of the memory-mapped shard (no copy), or widens a
     * DT_HALF / DT_BFLOAT16 tensor into a fresh direct buffer. Verifies TF's CRC32C of the bytes. Shape
     * is TF's, e.g. [in, out] for a dense kernel.
     */
    public HostTensor readFloat(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new InfuseException(indexFile + " has no tensor '" + name + "' (" + entries.size() + " tensors)");
        }
        if (e.numSlices() > 0) {
            throw new InfuseException(indexFile + ": tensor '" + name + "' is partitioned into " + e.numSlices()
                    + " slices; partitioned variables are not supported");
        }
        int width = switch (e.dtype()) {
            case DT_FLOAT -> 4;
            case DT_HALF, DT_BFLOAT16 -> 2;
            default -> throw new InfuseException(indexFile + ": tensor '" + name + "' has dtype " + e.dtypeName()
                    + ", expected DT_FLOAT, DT_HALF or DT_BFLOAT16 to read it as float");
        };
        long[] shape = e.shape();
        long numel = HostTensor.numel(shape);
        if (e.size() != numel * width) {
            throw new InfuseException(indexFile + ": tensor '" + name + "' of shape " + Arrays.toString(shape) + " "
                    + e.dtypeName() + " needs " + numel * width + " bytes, the index says " + e.size());
        }
        if (e.size() > Integer.MAX_VALUE) {
            throw new InfuseException(indexFile + ": tensor '" + name + "' is " + e.size() + " bytes; at most 2 GiB per tensor");
        }
        Path shard = shardPath(prefix, e.shardId(), numShards);
        ByteBuffer bytes = map(shard, e);
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        if ((int) crc.getValue() != SsTable.unmask(e.crc32c())) {
            throw new InfuseException(shard + ": tensor '" + name + "' fails its CRC32C check (file corrupt)");
        }
        return new HostTensor(shape, switch (e.dtype()) {
            case DT_FLOAT -> bytes.asFloatBuffer();
            case DT_HALF -> widen(bytes, (int) numel, true);
            default -> widen(bytes, (int) numel, false);
        });
    }

    private ByteBuffer map(Path shard, Entry e) {
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
            if (e.size() > ch.size() - e.offset()) {
                throw new InfuseException(shard + ": tensor '" + e.name() + "' needs bytes [" + e.offset() + ", "
                        + (e.offset() + e.size()) + ") but the file has " + ch.size() + " (truncated?)");
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, e.offset(), e.size());
            return m.order(order);
        } catch (IOException ex) {
            throw new InfuseException("cannot read checkpoint data shard " + shard + ": " + ex.getMessage(), ex);
        }
    }

    /** Widens 16-bit floats: bfloat16 is the top half of a float32; IEEE half needs re-biasing. */
    private static FloatBuffer widen(ByteBuffer src, int numel, boolean half) {
        FloatBuffer out = ByteBuffer.allocateDirect(numel * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < numel; i++) {
            short bits = src.getShort(2 * i);
            out.put(half ? halfToFloat(bits) : Float.intBitsToFloat((bits & 0xffff) << 16));
        }
        return out.flip();
    }

    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exp == 0x1f) { // infinity or NaN: keep the payload
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exp == 0) { // zero or subnormal: mantissa * 2^-24, exact in float
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mantissa << 13));
    }

    static Path sibling(Path prefix, String suffix) {
        return prefix.resolveSibling(prefix.getFileName() + suffix);
    }

    static Path shardPath(Path prefix, int shard, int numShards) {
        return sibling(prefix, String.format(".data-%05d-of-%05d", shard, numShards));
    }
}
