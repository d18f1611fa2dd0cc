package dev.infuse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSummaryTest {
    @TempDir
    Path tmp;

    @Test
    void selfTimeExcludesNestedCallsAndThreadsAreKeptApart() throws Exception {
        // thread 1: linear [0, 100) calls addmm [10, 90), which calls fill_ [20, 30); then addmm alone [100, 150)
        // thread 2: addmm [0, 40) overlapping thread 1 in time, which must not nest into it
        String trace = "[" + String.join(",",
                ev("aten::linear", 0, 100, 1), ev("aten::addmm", 10, 80, 1), ev("aten::fill_", 20, 10, 1), ev("aten::addmm", 100, 50, 1),
                ev("aten::addmm", 0, 40, 2), "{\"name\":\"marker\",\"ph\":\"i\",\"ts\":5,\"tid\":1}") + "]";
        Path f = Files.writeString(tmp.resolve("trace.json"), trace);
        List<ProfileSummary.Row> rows = ProfileSummary.read(f);
        assertEquals(new ProfileSummary.Row("aten::addmm", (70 + 50 + 40) / 1000.0, 3), rows.get(0));
        assertEquals(new ProfileSummary.Row("aten::linear", 20 / 1000.0, 1), rows.get(1));
        assertEquals(new ProfileSummary.Row("aten::fill_", 10 / 1000.0, 1), rows.get(2));
        assertEquals(3, rows.size(), "instant events carry no duration and are skipped");
    }

    private static String ev(String name, double ts, double dur, int tid) {
        return "{\"name\":\"" + name + "\",\"ph\":\"X\",\"ts\":" + ts + ",\"dur\":" + dur + ",\"tid\":" + tid + ",\"pid\":\"CPU Functions\"}";
    }
}
