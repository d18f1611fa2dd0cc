package dev.infuse.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time of a profiled run went, by operator: reads the Chrome trace PyTorch's profiler writes and
 * sums each operator's self time (its own duration less the operators it called), so nested calls such as
 * {@code aten::linear} over {@code aten::addmm} are not counted twice.
 */
public final class ProfileSummary {
    /** @param selfMs milliseconds spent in the operator itself, over the whole trace */
    public record Row(String op, double selfMs, int calls) {}

    private ProfileSummary() {}

    /** Operators by self time, largest first. */
    public static List<Row> read(Path trace) {
        Map<Long, List<JsonObject>> byThread = new HashMap<>();
        try (Reader r = Files.newBufferedReader(trace)) {
            JsonElement root = JsonParser.parseReader(r);
            JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
            for (JsonElement e : events) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("dur") && "X".equals(o.get("ph").getAsString())) {
                    byThread.computeIfAbsent(o.get("tid").getAsLong(), k -> new ArrayList<>()).add(o);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read the profile " + trace + ": " + e.getMessage());
        }
        Map<String, double[]> totals = new HashMap<>(); // op -> {self microseconds, calls}
        for (List<JsonObject> events : byThread.values()) {
            events.sort(Comparator.<JsonObject>comparingDouble(o -> o.get("ts").getAsDouble())
                    .thenComparing(Comparator.<JsonObject>comparingDouble(o -> o.get("dur").getAsDouble()).reversed()));
            Deque<double[]> open = new ArrayDeque<>(); // {end, index into totals' entry}
            Deque<String> names = new ArrayDeque<>();
            for (JsonObject o : events) {
                double start = o.get("ts").getAsDouble();
                double dur = o.get("dur").getAsDouble();
                while (!open.isEmpty() && open.peek()[0] <= start) {
                    open.pop();
                    names.pop();
                }
                if (!names.isEmpty()) {
                    totals.get(names.peek())[0] -= dur; // the caller's self time excludes this call
                }
                String name = o.get("name").getAsString();
                double[] t = totals.computeIfAbsent(name, k -> new double[2]);
                t[0] += dur;
                t[1]++;
                open.push(new double[] {start + dur});
                names.push(name);
            }
        }
        List<Row> rows = new ArrayList<>();
        totals.forEach((name, t) -> rows.add(new Row(name, t[0] / 1000, (int) t[1])));
        rows.sort(Comparator.comparingDouble(Row::selfMs).reversed());
        return rows;
    }
}
