package dev.infuse.model.tf;

import dev.infuse.InfuseException;

/**
 * Just enough of the protobuf wire format to read TensorFlow's bundle metadata by hand.
 *
 * <p>Why hand-rolled: the bundle index only holds three tiny message types (BundleHeaderProto,
 * BundleEntryProto, TensorShapeProto), so a protobuf dependency and generated classes would cost more
 * than they save. Every malformed input becomes an {@link InfuseException} carrying {@code context}
 * (which file and which key), because a corrupt index is something the user has to fix.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int limit;
    private final String context;
    private int pos;

    /** Reads {@code buf[offset, offset+length)}; {@code context} names the file and key for error messages. */
    ProtoReader(byte[] buf, int offset, int length, String context) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new InfuseException(context + ": message of " + length + " bytes at " + offset
                    + " runs past the end of its " + buf.length + "-byte buffer");
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.context = context;
    }

    /** Absolute offset of the next unread byte in the underlying buffer. */
    int position() {
        return pos;
    }

    /** Skips raw bytes that the caller has consumed from the buffer itself. */
    void skipBytes(int n) {
        advance(n);
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Returns the next tag (field number << 3 | wire type). */
    int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
            throw malformed("invalid field tag " + tag);
        }
        return (int) tag;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw malformed("varint runs past the end of the message");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    /** Returns a reader over the next length-delimited field (sub-message, string or packed array). */
    ProtoReader readMessage() {
        int len = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, len, context);
        pos += len;
        return sub;
    }

    String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, java.nio.charset.StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Skips a field we do not need; protobuf readers must tolerate unknown fields. */
    void skip(int tag) {
        switch (tag & 7) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(readLength());
            case FIXED32 -> advance(4);
            default -> throw malformed("unsupported wire type " + (tag & 7) + " for field " + (tag >>> 3));
        }
    }

    /** Throws unless the tag's wire type is {@code expected}; guards against reading a field as the wrong kind. */
    void expectWireType(int tag, int expected) {
        if ((tag & 7) != expected) {
            throw malformed("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + expected);
        }
    }

    InfuseException malformed(String what) {
        return new InfuseException(context + ": malformed protobuf: " + what);
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw malformed("length " + len + " exceeds the " + (limit - pos) + " bytes left");
        }
        return (int) len;
    }

    private void advance(int n) {
        need(n);
        pos += n;
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw malformed("needs " + n + " more bytes, " + (limit - pos) + " left");
        }
    }
}
