package dev.infuse.task;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A resumable fine-tuning state in {@code OUT/checkpoint/}, written at every dev evaluation: encoder and
 * head weights, AdamW moments, and {@code state.json} (step, early-stopping bookkeeping, the run's identity).
 * Data order comes from (seed, epoch) and dropout from (seed, step), so a resumed run computes what the
 * uninterrupted one would have. Written into {@code .checkpoint-new} and swapped in by renames.
 */
final class FinetuneCheckpoint {
    static final String DIR = "checkpoint";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    /** @param best the best dev scores so far (null before the first evaluation); @param bad evaluations since it */
    record State(long step, long optimizerStep, Scores best, long bestStep, int bad, Map<String, Object> identity) {}

    private FinetuneCheckpoint() {}

    static void save(Path out, TaskModel model, AdamW adam, State s) {
        Path fresh = out.resolve(".checkpoint-new");
        Path dir = out.resolve(DIR);
        Path old = out.resolve(".checkpoint-old");
        try {
            delete(fresh);
            Files.createDirectories(fresh);
            Checkpoints.writeHuggingFace(model.lm().model(), fresh);
            Safetensors.write(fresh.resolve(TaskModel.HEAD_FILE), model.head().export());
            Safetensors.write(fresh.resolve("optimizer.safetensors"), adam.exportMoments());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("step", s.step());
            o.put("optimizer_step", s.optimizerStep());
            o.put("best_step", s.bestStep());
            o.put("bad", s.bad());
            if (s.best() != null) {
                o.put("best_name", s.best().primaryName());
                o.put("best", s.best().primary());
                o.put("best_scores", s.best().all());
            }
            Map<String, String> id = new java.util.TreeMap<>();
            s.identity().forEach((k, v) -> id.put(k, String.valueOf(v)));
            o.put("identity", id);
            AtomicFiles.writeString(fresh.resolve("state.json"), GSON.toJson(o) + "\n");
            delete(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            delete(old);
        } catch (IOException e) {
            throw new InfuseException("cannot write checkpoint into " + out + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint to resume from, or null. */
    static Path find(Path out) {
        for (String name : new String[] {DIR, ".checkpoint-old"}) {
            if (Files.exists(out.resolve(name).resolve("state.json"))) {
                return out.resolve(name);
            }
        }
        return null;
    }

    static State read(Path dir) {
        Path file = dir.resolve("state.json");
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Scores best = null;
            if (o.has("best")) {
                Map<String, Object> all = GSON.fromJson(o.get("best_scores"), new TypeToken<LinkedHashMap<String, Object>>() {}.getType());
                best = new Scores(o.get("best_name").getAsString(), o.get("best").getAsDouble(), all);
            }
            Map<String, Object> identity = new LinkedHashMap<>();
            o.getAsJsonObject("identity").entrySet().forEach(e -> identity.put(e.getKey(), e.getValue().getAsString()));
            return new State(o.get("step").getAsLong(), o.get("optimizer_step").getAsLong(), best, o.get("best_step").getAsLong(),
                    o.get("bad").getAsInt(), identity);
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read checkpoint state " + file + ": " + e.getMessage());
        }
    }

    static void restore(Path dir, AdamW adam, long optimizerStep) {
        adam.restore(Safetensors.read(dir.resolve("optimizer.safetensors")), optimizerStep);
    }

    /** Removes the checkpoint once the run is complete: the best model is already in the directory. */
    static void clear(Path out) {
        try {
            delete(out.resolve(DIR));
            delete(out.resolve(".checkpoint-old"));
        } catch (IOException e) {
            throw new InfuseException("cannot delete the checkpoint in " + out + ": " + e.getMessage());
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
