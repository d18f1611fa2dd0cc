package dev.infuse.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
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

/** Hand-made files whose header and data disagree: each must be refused with the tensors named, never loaded. */
class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file with {@code header} and {@code dataBytes} bytes of data (floats 0, 1, 2, ... as far as they fit). */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (int i = 0; i + 4 <= dataBytes; i += 4) {
            b.putFloat(i / 4f);
        }
        Path f = dir.resolve("model.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static String f32(String name, int n, int begin, int end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[" + n + "],\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private String refusal(Path f) {
        return assertThrows(InfuseException.class, () -> Safetensors.read(f)).getMessage();
    }

    @Test
    void overlappingTensorsAreRefusedByName() throws IOException {
        // b shares a's last float: before the check this loaded and b[0] silently read a[1].
        Path f = file("{" + f32("b", 2, 4, 12) + "," + f32("a", 2, 0, 8) + "}", 12);
        assertEquals(f + ": tensors a [0, 8) and b [4, 12) overlap in the data", refusal(f));
    }

    @Test
    void aTensorInsideAnotherIsAnOverlapToo() throws IOException {
        Path f = file("{" + f32("big", 4, 0, 16) + "," + f32("small", 1, 4, 8) + "}", 16);
        assertEquals(f + ": tensors big [0, 16) and small [4, 8) overlap in the data", refusal(f));
    }

    @Test
    void gapsBetweenBeforeAndAfterTensorsAreRefused() throws IOException {
        Path between = file("{" + f32("a", 2, 0, 8) + "," + f32("b", 2, 12, 20) + "}", 20);
        assertEquals(between + ": data bytes [8, 12) between tensors a and b belong to no tensor", refusal(between));
        Path before = file("{" + f32("a", 2, 4, 12) + "}", 12);
        assertEquals(before + ": data bytes [0, 4) before tensor a belong to no tensor", refusal(before));
        Path after = file("{" + f32("a", 2, 0, 8) + "}", 12);
        assertEquals(after + ": data bytes [8, 12) after the last tensor, a, belong to no tensor", refusal(after));
    }

    @Test
    void aRangePastTheEndOfTheFileIsRefused() throws IOException {
        Path f = file("{" + f32("a", 4, 0, 16) + "}", 8);
        long size = Files.size(f);
        assertEquals(f + ": tensor a ends at byte " + (size + 8) + " but the file holds " + size, refusal(f));
    }

    @Test
    void offsetsThatDisagreeWithDtypeTimesShapeAreRefused() throws IOException {
        Path f = file("{" + f32("a", 3, 0, 8) + "}", 8);
        assertEquals(f + ": tensor a of shape [3] and dtype F32 needs 12 bytes, its offsets [0, 8) span 8", refusal(f));
        Path backwards = file("{" + f32("a", 0, 8, 0) + "}", 8);
        assertEquals(backwards + ": tensor a of shape [0] and dtype F32 needs 0 bytes, its offsets [8, 0) span -8", refusal(backwards));
    }

    @Test
    void aHeaderThatIsNotJsonIsQuotedShortly() throws IOException {
        String cut = "{\"weights\":[" + "1,".repeat(35_000); // a header cut short, about 71 kB
        Path f = file(cut, 0);
        String m = refusal(f);
        assertTrue(m.startsWith(f + ": the safetensors header is not valid JSON (End of input at line 1 column "), m);
        assertTrue(m.endsWith("; it begins: " + cut.substring(0, 200) + "…"), m);
        assertTrue(m.length() < 700, "message of " + m.length() + " chars");
    }

    @Test
    void aHeaderThatIsJsonButNotAnObjectIsQuotedShortly() throws IOException {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            list.append(i).append(',');
        }
        list.append("0]");
        Path f = file(list.toString(), 0);
        String m = refusal(f);
        assertEquals(f + ": the safetensors header is not a JSON object; it begins: " + list.substring(0, 200) + "…", m);
    }

    @Test
    void whatTheWriterWritesStillLoads() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("z", new HostTensor(new long[] {2, 3}, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6})));
        t.put("empty", new HostTensor(new long[] {0}, FloatBuffer.allocate(0)));
        t.put("a", new HostTensor(new long[] {1}, FloatBuffer.wrap(new float[] {7})));
        Path f = dir.resolve("ok.safetensors");
        Safetensors.write(f, t);
        Map<String, HostTensor> back = Safetensors.read(f);
        assertEquals(3, back.size());
        assertEquals(6f, back.get("z").data().get(5));
        assertEquals(7f, back.get("a").data().get(0));
    }

    @Test
    void anOffsetPastTwoToThe63IsRefusedNotWrappedAround() throws IOException {
        Path f = file("{" + f32("a", 1, 0, 4).replace("[0,4]", "[1180591620717411303424,1180591620717411303428]") + "}", 4);
        InfuseException e = assertThrows(InfuseException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": tensor a has a malformed dtype, shape or data_offsets ("), e.getMessage());
        assertTrue(!e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void aNonFiniteValueIsRefusedNamingTheTensorAndWhere() {
        Path f = dir.resolve("nan.safetensors");
        Safetensors.write(f, Map.of("w", new HostTensor(new long[] {2, 2}, FloatBuffer.wrap(new float[] {1, 2, Float.POSITIVE_INFINITY, 4}))));
        InfuseException e = assertThrows(InfuseException.class, () -> Safetensors.read(f));
        assertEquals(f + ": tensor w holds Infinity at flat index 2 of 4; a weight file must hold finite numbers only", e.getMessage());
    }
}
