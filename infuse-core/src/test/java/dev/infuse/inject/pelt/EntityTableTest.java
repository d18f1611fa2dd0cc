package dev.infuse.inject.pelt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables written by hand, without a model: a row that would plug NaN into the model must stop the load. */
class EntityTableTest {
    @TempDir
    Path dir;

    private static List<EntityTable.Row> rows(int n) {
        List<EntityTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new EntityTable.Row("e" + i, "name" + i, List.of(), "t"));
        }
        return rows;
    }

    private Path write(int n, float[] sums, float[] counts) {
        Path f = dir.resolve("table.pelt");
        new EntityTable(rows(n), sums, counts, 2, "f".repeat(64)).write(f);
        return f;
    }

    @Test
    void aNanSumIsRefusedNamingTheRow() {
        Path f = write(3, new float[] {1, 2, 3, Float.NaN, 5, 6}, new float[] {1, 1, 1});
        InfuseException e = assertThrows(InfuseException.class, () -> EntityTable.read(f));
        assertEquals("corrupt entity table " + f + ": 1 of 3 rows are unusable (NaN or infinite sum, or a count that is not positive): "
                + "e1 (sum holds NaN)", e.getMessage());
    }

    @Test
    void infiniteSumsAndZeroCountsAreRefusedShowingAFewRowsAndACount() {
        float[] sums = new float[14];
        float[] counts = {1, 0, 1, 1, -2, 0, Float.NaN};
        sums[4] = Float.NEGATIVE_INFINITY;
        Path f = write(7, sums, counts);
        InfuseException e = assertThrows(InfuseException.class, () -> EntityTable.read(f));
        assertEquals("corrupt entity table " + f + ": 5 of 7 rows are unusable (NaN or infinite sum, or a count that is not positive): "
                + "e1 (count 0.0), e2 (sum holds -Infinity), e4 (count -2.0) and 2 more", e.getMessage());
    }

    @Test
    void aSoundTableReadsBack() {
        Path f = write(2, new float[] {3, 4, 0, 1}, new float[] {2, 1});
        EntityTable t = EntityTable.read(f);
        assertEquals(2f, t.count("e0"));
        assertArrayEquals(new float[] {3, 4}, t.sum("e0"));
        assertArrayEquals(new float[] {0, 7}, t.vector("e1", 7));
    }

    @Test
    void aTableMissingOnlyItsFingerprintSaysSo() {
        Path f = write(2, new float[] {3, 4, 0, 1}, new float[] {2, 1});
        java.util.Map<String, String> meta = new java.util.HashMap<>();
        java.util.Map<String, dev.infuse.model.io.HostTensor> t = dev.infuse.model.io.Safetensors.readWithMetadata(f, meta);
        meta.remove("model_fingerprint");
        dev.infuse.model.io.Safetensors.write(f, new java.util.LinkedHashMap<>(t), meta);
        InfuseException e = assertThrows(InfuseException.class, () -> EntityTable.read(f));
        assertEquals("corrupt entity table " + f + ": its metadata has no \"model_fingerprint\"", e.getMessage());
    }
}
