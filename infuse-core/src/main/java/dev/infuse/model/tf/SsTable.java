package dev.infuse.model.tf;

import dev.infuse.InfuseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads every key/value pair of a LevelDB-style SSTable held fully in memory (TF's {@code .index} file).
 *
 * <p>Layout, back to front: a 48-byte footer (metaindex and index BlockHandles as varints, zero padding,
 * 8-byte little-endian magic); the index block, whose values are BlockHandles of data blocks; the data
 * blocks. A block is a run of prefix-compressed entries {@code (shared, non_shared, value_len varints,
 * key suffix, value)} followed by a uint32 restart array and its uint32 count; every block is followed by
 * a 1-byte compression type and a 4-byte masked CRC32C of block+type. Index files are small (kilobytes
 * for BERT), so reading them whole is simpler and safer than seeking.
 */
final class SsTable {
    static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER_LENGTH = 48;
    static final int TRAILER_LENGTH = 5;
    private static final int MASK_DELTA = 0xa282ead8;

    /** One stored pair; {@code value} indexes into the file bytes to avoid copying. */
    record KeyValue(byte[] key, int valueOffset, int valueLength) {
        String keyString() {
            return new String(key, StandardCharsets.UTF_8);
        }
    }

    private final byte[] file;
    private final String fileName;

    private SsTable(byte[] file, String fileName) {
        this.file = file;
        this.fileName = fileName;
    }

    /** Parses the table and returns its pairs in stored (sorted) order; {@code fileName} appears in errors. */
    static List<KeyValue> readAll(byte[] file, String fileName) {
        return new SsTable(file, fileName).readAll();
    }

    /** LevelDB's CRC mask, so that CRCs of data containing CRCs stay well distributed. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }

    private List<KeyValue> readAll() {
        if (file.length < FOOTER_LENGTH) {
            throw bad("truncated: " + file.length + " bytes, but the footer alone is " + FOOTER_LENGTH);
        }
        int footer = file.length - FOOTER_LENGTH;
        long magic = readLong(file.length - 8);
        if (magic != MAGIC) {
            throw bad(String.format("bad magic 0x%016x in the last 8 bytes, expected 0x%016x (not a TF index or truncated)",
                    magic, MAGIC));
        }
        ProtoReader handles = new ProtoReader(file, footer, FOOTER_LENGTH - 8, fileName + ": footer");
        handles.readVarint(); // metaindex offset: TF bundles keep no meta blocks we need
        handles.readVarint(); // metaindex size
        long indexOffset = handles.readVarint();
        long indexSize = handles.readVarint();
        int[] index = block(indexOffset, indexSize, "index block");

        List<KeyValue> out = new ArrayList<>();
        for (KeyValue handle : entries(index, "index block")) {
            ProtoReader h = new ProtoReader(file, handle.valueOffset(), handle.valueLength(), fileName + ": index entry");
            long offset = h.readVarint();
            long size = h.readVarint();
            int[] data = block(offset, size, "data block at " + offset);
            out.addAll(entries(data, "data block at " + offset));
        }
        for (int i = 1; i < out.size(); i++) {
            if (Arrays.compareUnsigned(out.get(i - 1).key(), out.get(i).key()) >= 0) {
                throw bad("keys out of order at '" + out.get(i).keyString() + "'");
            }
        }
        return out;
    }

    /** Checks a block's bounds, CRC and compression; returns {start, end} of its contents. */
    private int[] block(long offset, long size, String what) {
        if (offset < 0 || size < 4 || offset > file.length || size > file.length // no long overflow below
                || offset + size + TRAILER_LENGTH > file.length - FOOTER_LENGTH) {
            throw bad(what + " [offset " + offset + ", size " + size + "] lies outside the "
                    + file.length + "-byte file (truncated?)");
        }
        int start = (int) offset;
        int end = (int) (offset + size);
        CRC32C crc = new CRC32C();
        crc.update(file, start, end - start + 1); // contents plus the compression-type byte
        int stored = readInt(end + 1);
        if (unmask(stored) != (int) crc.getValue()) {
            throw bad(what + " fails its CRC32C check (file corrupt)");
        }
        int type = file[end];
        if (type != 0) {
            throw bad(what + " uses compression type " + type + (type == 1 ? " (snappy)" : "")
                    + "; only uncompressed (type 0) index files are supported");
        }
        return new int[] {start, end};
    }

    /** Decodes a block's prefix-compressed entries. */
    private List<KeyValue> entries(int[] block, String what) {
        int start = block[0];
        int end = block[1];
        long numRestarts = readInt(end - 4) & 0xffffffffL;
        long restartsStart = end - 4 - 4 * numRestarts;
        if (numRestarts == 0 || restartsStart < start) {
            throw bad(what + " has an invalid restart count " + numRestarts);
        }
        List<KeyValue> out = new ArrayList<>();
        byte[] last = new byte[0];
        ProtoReader r = new ProtoReader(file, start, (int) restartsStart - start, fileName + ": " + what);
        while (r.hasMore()) {
            long shared = r.readVarint();
            long nonShared = r.readVarint();
            long valueLength = r.readVarint();
            int pos = r.position();
            if (shared > last.length || nonShared < 0 || valueLength < 0
                    || pos + nonShared + valueLength > restartsStart) {
                throw bad(what + " has an entry that runs past the block (shared " + shared + ", key "
                        + nonShared + ", value " + valueLength + " bytes)");
            }
            byte[] key = Arrays.copyOf(last, (int) (shared + nonShared));
            System.arraycopy(file, pos, key, (int) shared, (int) nonShared);
            out.add(new KeyValue(key, pos + (int) nonShared, (int) valueLength));
            last = key;
            r.skipBytes((int) (nonShared + valueLength));
        }
        return out;
    }

    private int readInt(int at) {
        return (file[at] & 0xff) | (file[at + 1] & 0xff) << 8 | (file[at + 2] & 0xff) << 16 | (file[at + 3] & 0xff) << 24;
    }

    private long readLong(int at) {
        return (readInt(at) & 0xffffffffL) | ((long) readInt(at + 4) << 32);
    }

    private InfuseException bad(String what) {
        return new InfuseException(fileName + ": " + what);
    }
}
