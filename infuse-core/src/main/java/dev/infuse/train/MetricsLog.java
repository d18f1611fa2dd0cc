package dev.infuse.train;

import com.google.gson.Gson;
import dev.infuse.InfuseException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per optimizer step, flushed at once so a killed run keeps its
 * history. On resume, lines past the checkpoint's step (written by the run that was killed) are dropped,
 * so the file reads as one uninterrupted run.
 */
public final class MetricsLog implements TrainListener, AutoCloseable {
    private static final Gson GSON = new Gson();
    private final Path file;
    private BufferedWriter out;
    private long lastStep;

    public MetricsLog(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(long step, long maxSteps) {
        try {
            if (Files.exists(file)) {
                List<String> keep = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank() && stepOf(l) <= step).toList();
                Files.write(file, keep, StandardCharsets.UTF_8);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            lastStep = System.nanoTime();
        } catch (IOException e) {
            throw new InfuseException("cannot open " + file + ": " + e.getMessage());
        }
    }

    private static long stepOf(String line) {
        try {
            return GSON.fromJson(line, com.google.gson.JsonObject.class).get("step").getAsLong();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE; // a torn last line from a kill: drop it
        }
    }

    @Override
    public void onStep(StepReport r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", r.step());
        o.put("loss", r.loss());
        o.put("lr", r.lr());
        o.put("grad_norm", r.gradNorm());
        o.put("tokens", r.tokens());
        o.put("predicted", r.predicted());
        o.put("seconds", r.seconds());
        o.put("model_seconds", r.modelSeconds());
        o.put("forward_seconds", r.parts().forward());
        o.put("backward_seconds", r.parts().backward());
        o.put("update_seconds", r.parts().update());
        long now = System.nanoTime();
        o.put("wall_seconds", (now - lastStep) / 1e9); // since the previous line: includes the listeners' own time
        lastStep = now;
        o.put("epoch", r.cursor().epoch());
        try {
            out.write(dev.infuse.io.Jsons.compact().toJson(o));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new InfuseException("cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // Every line was flushed when written.
        }
    }
}
