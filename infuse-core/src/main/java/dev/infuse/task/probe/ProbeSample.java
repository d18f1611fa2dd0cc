package dev.infuse.task.probe;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.infuse.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One probe in N, chosen by a hash of the entity (or the subject when there is none), so every probe of
 * an entity is in or out together and the same file gives the same sample on any machine.
 */
public final class ProbeSample {
    private ProbeSample() {}

    public static List<ProbeItem> every(Path probes, int n) {
        if (n < 1) {
            throw new dev.infuse.InfuseException("the probe sample must keep one in N >= 1, got " + n);
        }
        List<ProbeItem> chosen = new ArrayList<>();
        LamaReader.forEach(probes, p -> {
            if (n == 1 || crc(p.entity().isEmpty() ? p.subLabel() : p.entity()) % n == 0) {
                chosen.add(p);
            }
        });
        return chosen;
    }

    /** Writes probes back as LAMA jsonl (one masked sentence each), atomically. */
    public static void write(List<ProbeItem> probes, Path file) {
        StringBuilder s = new StringBuilder();
        for (ProbeItem p : probes) {
            JsonObject o = new JsonObject();
            o.addProperty("sub_label", p.subLabel());
            o.addProperty("obj_label", p.objLabel());
            JsonArray m = new JsonArray();
            m.add(p.sentence());
            o.add("masked_sentences", m);
            o.addProperty("relation", p.relation());
            o.addProperty("bucket", p.bucket());
            o.addProperty("entity", p.entity());
            s.append(o).append('\n');
        }
        AtomicFiles.writeString(file, s.toString());
    }

    static long crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }
}
