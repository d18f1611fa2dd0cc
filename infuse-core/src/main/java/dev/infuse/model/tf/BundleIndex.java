package dev.infuse.model.tf;

import dev.infuse.InfuseException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the index bytes into header + entries; kept apart so the reader stays about files and bytes. */
final class BundleIndex {
    private BundleIndex() {}

    static TensorBundleReader parse(Path prefix, Path index, byte[] bytes) {
        String file = index.toString();
        int numShards = -1;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        Map<String, TensorBundleReader.Entry> entries = new LinkedHashMap<>();
        for (SsTable.KeyValue kv : SsTable.readAll(bytes, file)) {
            if (kv.key().length == 0) {
                ProtoReader r = new ProtoReader(bytes, kv.valueOffset(), kv.valueLength(), file + ": bundle header");
                numShards = 0; // proto3 default when the field is absent
                while (r.hasMore()) {
                    int tag = r.readTag();
                    switch (tag >>> 3) {
                        case 1 -> numShards = (int) Math.min(varint(r, tag), Integer.MAX_VALUE); // range-checked below
                        case 2 -> order = varint(r, tag) == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                        case 3 -> checkVersion(r, tag, file);
                        default -> r.skip(tag);
                    }
                }
            } else if (kv.key()[0] == 0) {
                continue; // slice keys of partitioned variables (TF's ordered-code encoding); see numSlices
            } else {
                String name = kv.keyString();
                entries.put(name, entry(name, new ProtoReader(bytes, kv.valueOffset(), kv.valueLength(),
                        file + ": entry '" + name + "'")));
            }
        }
        if (numShards < 0) {
            throw new InfuseException(file + ": no bundle header (empty key); not a TF tensor bundle index");
        }
        if (numShards < 1 || numShards > 99999) {
            throw new InfuseException(file + ": bundle header says " + numShards + " shards, expected 1..99999");
        }
        return TensorBundleReader.create(prefix, index, numShards, order, entries);
    }

    private static TensorBundleReader.Entry entry(String name, ProtoReader r) {
        int dtype = 0, shard = 0, crc = 0, slices = 0;
        long offset = 0, size = 0;
        long[] shape = new long[0];
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> dtype = (int) varint(r, tag);
                case 2 -> shape = shape(expectMessage(r, tag));
                case 3 -> shard = (int) varint(r, tag);
                case 4 -> offset = varint(r, tag);
                case 5 -> size = varint(r, tag);
                case 6 -> {
                    r.expectWireType(tag, ProtoReader.FIXED32);
                    crc = r.readFixed32();
                }
                case 7 -> {
                    expectMessage(r, tag);
                    slices++;
                }
                default -> r.skip(tag);
            }
        }
        try {
            return new TensorBundleReader.Entry(name, dtype, shape, shard, offset, size, crc, slices);
        } catch (IllegalArgumentException e) {
            throw r.malformed(e.getMessage());
        }
    }

    /** TensorShapeProto: repeated Dim dim = 2 (Dim: int64 size = 1); unknown_rank = 3. */
    private static long[] shape(ProtoReader r) {
        long[] dims = new long[0];
        while (r.hasMore()) {
            int tag = r.readTag();
            if ((tag >>> 3) == 2) {
                ProtoReader dim = expectMessage(r, tag);
                long size = 0;
                while (dim.hasMore()) {
                    int t = dim.readTag();
                    if ((t >>> 3) == 1) {
                        size = varint(dim, t);
                    } else {
                        dim.skip(t);
                    }
                }
                dims = Arrays.copyOf(dims, dims.length + 1);
                dims[dims.length - 1] = size;
            } else if ((tag >>> 3) == 3 && varint(r, tag) != 0) {
                throw r.malformed("shape has unknown rank");
            } else if ((tag >>> 3) != 3) {
                r.skip(tag);
            }
        }
        return dims;
    }

    /** VersionDef: producer = 1, min_consumer = 2; we read format version 1 like TF does. */
    private static void checkVersion(ProtoReader outer, int tag, String file) {
        ProtoReader r = expectMessage(outer, tag);
        while (r.hasMore()) {
            int t = r.readTag();
            if ((t >>> 3) == 2) {
                long minConsumer = varint(r, t);
                if (minConsumer > 1) {
                    throw new InfuseException(file + ": bundle needs reader version >= " + minConsumer
                            + ", this reader implements version 1");
                }
            } else {
                r.skip(t);
            }
        }
    }

    private static long varint(ProtoReader r, int tag) {
        r.expectWireType(tag, ProtoReader.VARINT);
        return r.readVarint();
    }

    private static ProtoReader expectMessage(ProtoReader r, int tag) {
        r.expectWireType(tag, ProtoReader.LENGTH_DELIMITED);
        return r.readMessage();
    }
}
