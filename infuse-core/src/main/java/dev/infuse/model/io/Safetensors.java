package dev.infuse.model.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name to
 * {@code {dtype, shape, data_offsets}}, then raw little-endian data.
 *
 * <p>The reader memory-maps each tensor: F32 tensors are views of the file (no copy in Java), F16 and BF16
 * are widened to F32 in Java because the engine aborts on bf16. The writer sorts keys and adds
 * {@code __metadata__ {"format":"pt"}} so Python's transformers loads the file as a PyTorch checkpoint.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** Reads every tensor, in header order, as float32. */
    public static Map<String, HostTensor> read(Path file) {
        return readWithMetadata(file, null);
    }

    /** Reads every tensor and fills {@code metadata} (when not null) with the header's {@code __metadata__}. */
    public static Map<String, HostTensor> readWithMetadata(Path file, Map<String, String> metadata) {
        return readWithMetadata(file, metadata, true);
    }

    /**
     * As above; {@code finite} false leaves the check for NaN and infinities to a caller that names the bad
     * rows in its own terms (an entity table names the entity).
     */
    public static Map<String, HostTensor> readWithMetadata(Path file, Map<String, String> metadata, boolean finite) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new InfuseException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new InfuseException(file + ": header claims " + headerLen + " bytes but the file holds " + (size - 8)
                        + " after the length field");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonObject header = parseHeader(file, new String(headerBuf.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (metadata != null && e.getValue().isJsonObject()) {
                        e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                    }
                    continue;
                }
                if (!e.getValue().isJsonObject()) {
                    throw new InfuseException(file + ": malformed safetensors header entry " + e.getKey());
                }
                entries.add(entry(file, e.getKey(), e.getValue().getAsJsonObject(), dataStart, size));
            }
            checkLayout(file, entries, size - dataStart);
            Map<String, HostTensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                HostTensor t = map(ch, e, dataStart);
                if (finite) {
                    requireFinite(file, e.name(), t);
                }
                out.put(e.name(), t);
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new InfuseException("missing safetensors file: " + file);
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The header as a JSON object; errors quote only its start, since a header can hold megabytes. */
    private static JsonObject parseHeader(Path file, String json) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause(); // Gson wraps the parser's own message in its exception's class name
            }
            String why = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
            throw new InfuseException(file + ": the safetensors header is not valid JSON (" + excerpt(why, 200) + "); it begins: "
                    + excerpt(json, 200));
        }
        if (!parsed.isJsonObject()) {
            throw new InfuseException(file + ": the safetensors header is not a JSON object; it begins: " + excerpt(json, 200));
        }
        return parsed.getAsJsonObject();
    }

    /** One tensor as the header describes it; offsets are relative to the start of the data. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    private static Entry entry(Path file, String name, JsonObject info, long dataStart, long size) {
        if (!info.has("dtype") || !info.has("shape") || !info.has("data_offsets")) {
            throw new InfuseException(file + ": tensor " + name + " lacks dtype, shape or data_offsets");
        }
        String dtype;
        long[] shape;
        long begin;
        long end;
        try {
            dtype = info.get("dtype").getAsString();
            JsonArray shapeJson = info.getAsJsonArray("shape");
            shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = exactLong(shapeJson.get(i));
            }
            JsonArray off = info.getAsJsonArray("data_offsets");
            if (off.size() != 2) {
                throw new IllegalStateException("data_offsets has " + off.size() + " numbers");
            }
            begin = exactLong(off.get(0));
            end = exactLong(off.get(1));
        } catch (RuntimeException e) {
            throw new InfuseException(file + ": tensor " + name + " has a malformed dtype, shape or data_offsets ("
                    + excerpt(String.valueOf(e.getMessage()), 200) + ")");
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new InfuseException(file + ": tensor " + name + " has dtype " + dtype
                    + "; infuse reads F32, F16 and BF16");
        };
        for (long d : shape) {
            if (d < 0) {
                throw new InfuseException(file + ": tensor " + name + " has a negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long n;
        try {
            n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            Math.multiplyExact(n, width);
        } catch (ArithmeticException tooBig) {
            throw new InfuseException(file + ": tensor " + name + " has shape " + Arrays.toString(shape) + ", too large for any file");
        }
        if (begin < 0 || end < begin || end - begin != n * width) {
            throw new InfuseException(file + ": tensor " + name + " of shape " + Arrays.toString(shape) + " and dtype "
                    + dtype + " needs " + n * width + " bytes, its offsets [" + begin + ", " + end + ") span " + (end - begin));
        }
        if (dataStart + end > size) {
            throw new InfuseException(file + ": tensor " + name + " ends at byte " + (dataStart + end) + " but the file holds " + size);
        }
        if (n * width > Integer.MAX_VALUE) {
            throw new InfuseException(file + ": tensor " + name + " is over 2 GB, more than one mapping can hold");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /**
     * The tensors must tile the data exactly, as the reference implementation demands: an overlap means two
     * tensors share bytes (the model would load junk without a word), a gap or a tail means the header and
     * the data disagree about where tensors are.
     */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw new InfuseException(file + ": tensors " + previous.name() + " " + range(previous) + " and " + e.name() + " "
                        + range(e) + " overlap in the data");
            }
            if (e.begin() > covered) {
                throw new InfuseException(file + ": data bytes [" + covered + ", " + e.begin() + ") "
                        + (previous == null ? "before tensor " + e.name() : "between tensors " + previous.name() + " and " + e.name())
                        + " belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered < dataLength) {
            throw new InfuseException(file + ": data bytes [" + covered + ", " + dataLength + ") "
                    + (previous == null ? "" : "after the last tensor, " + previous.name() + ", ") + "belong to no tensor");
        }
    }

    private static String range(Entry e) {
        return "[" + e.begin() + ", " + e.end() + ")";
    }

    private static HostTensor map(FileChannel ch, Entry e, long dataStart) throws IOException {
        int n = (int) HostTensor.numel(e.shape());
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin());
        map.order(ByteOrder.LITTLE_ENDIAN);
        return switch (e.dtype()) {
            case "F32" -> new HostTensor(e.shape(), map.asFloatBuffer());
            case "F16" -> new HostTensor(e.shape(), widenHalf(map.asShortBuffer(), n));
            default -> new HostTensor(e.shape(), widenBfloat16(map.asShortBuffer(), n));
        };
    }

    /**
     * No model, table, optimizer state or checkpoint infuse reads holds NaN or an infinity: one would reach every
     * output through the matrix products and surface far away as "loss is NaN" or an all-"O" tagging.
     */
    static void requireFinite(Path file, String name, HostTensor t) {
        FloatBuffer d = t.data();
        for (int i = 0, n = d.remaining(); i < n; i++) {
            float v = d.get(i);
            if (!Float.isFinite(v)) {
                throw new InfuseException(file + ": tensor " + name + " holds " + v + " at flat index " + i + " of " + n
                        + "; a weight file must hold finite numbers only");
            }
        }
    }

    /** A header number as a long; one that does not fit is refused rather than wrapped around. */
    private static long exactLong(JsonElement e) {
        return e.getAsBigInteger().longValueExact();
    }

    /** At most {@code max} chars of {@code text}, on one line, with an ellipsis when cut. */
    static String excerpt(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    /** bf16 is the top half of an f32: shift the 16 bits left. */
    static FloatBuffer widenBfloat16(ShortBuffer in, int n) {
        FloatBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            out.put(i, Float.intBitsToFloat((in.get(i) & 0xffff) << 16));
        }
        return out;
    }

    static FloatBuffer widenHalf(ShortBuffer in, int n) {
        FloatBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            out.put(i, halfToFloat(in.get(i)));
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32, subnormals and infinities included. */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal (or zero): the value is mant * 2^-24.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes tensors as F32, keys sorted, atomically (temp file, then rename). */
    public static void write(Path file, Map<String, HostTensor> tensors) {
        write(file, tensors, Map.of("format", "pt"));
    }

    /** Writes tensors with a string-to-string {@code __metadata__} map. */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        TreeMap<String, HostTensor> sorted = new TreeMap<>(tensors);
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        new TreeMap<>(metadata).forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : sorted.entrySet()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            long bytes = HostTensor.numel(e.getValue().shape()) * 4;
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + bytes);
            info.add("data_offsets", off);
            header.add(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            out.write(len.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (HostTensor t : sorted.values()) {
                writeFloats(out, t.data().duplicate(), chunk);
            }
        });
    }

    private static void writeFloats(OutputStream out, FloatBuffer data, ByteBuffer chunk) throws IOException {
        while (data.hasRemaining()) {
            chunk.clear();
            FloatBuffer view = chunk.asFloatBuffer();
            int n = Math.min(view.capacity(), data.remaining());
            for (int i = 0; i < n; i++) {
                view.put(data.get());
            }
            out.write(chunk.array(), 0, n * 4);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
