package dev.infuse.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.data.Cursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training state in {@code OUT/checkpoint/}: the weights as a Hugging Face directory
 * ({@code config.json}, {@code model.safetensors}), the AdamW moments ({@code optimizer.safetensors}) and
 * {@code trainer_state.json} (step, optimizer step, data cursor, how the random generators are seeded,
 * and the run's identity so a resume with other settings is refused).
 *
 * <p>Atomic as a whole: everything is written into {@code .checkpoint-new}, then swapped in by renames.
 * A crash between the renames leaves {@code .checkpoint-old}, which {@link #load} falls back to.
 */
public final class TrainCheckpoint {
    public static final String DIR = "checkpoint";

    /**
     * @param identity the settings, masking and corpus hash that decide the numbers; must match to resume
     */
    public record State(long step, long optimizerStep, Cursor cursor, Map<String, Object> identity) {
        public State {
            if (step < 0 || optimizerStep < 0) {
                throw new IllegalArgumentException("negative step in checkpoint: " + step + ", " + optimizerStep);
            }
            identity = Map.copyOf(identity);
        }
    }

    private TrainCheckpoint() {}

    public static void save(Path out, BertModel model, AdamW adam, State state) {
        Path fresh = out.resolve(".checkpoint-new");
        Path old = out.resolve(".checkpoint-old");
        Path dir = out.resolve(DIR);
        try {
            AtomicFiles.deleteTree(fresh);
            Files.createDirectories(fresh);
            Checkpoints.writeHuggingFace(model, fresh);
            Safetensors.write(fresh.resolve("optimizer.safetensors"), adam.exportMoments());
            AtomicFiles.writeString(fresh.resolve("trainer_state.json"), toJson(state));
            AtomicFiles.deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.deleteTree(old);
        } catch (IOException e) {
            throw new InfuseException("cannot write checkpoint into " + out + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint directory to resume from, or null when {@code out} holds none. */
    public static Path find(Path out) {
        Path dir = out.resolve(DIR);
        if (Files.exists(dir.resolve("trainer_state.json"))) {
            return dir;
        }
        Path old = out.resolve(".checkpoint-old");
        return Files.exists(old.resolve("trainer_state.json")) ? old : null;
    }

    public static State readState(Path dir) {
        Path file = dir.resolve("trainer_state.json");
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            JsonObject c = o.getAsJsonObject("cursor");
            Cursor cursor = new Cursor(c.get("epoch").getAsLong(), c.get("index").getAsLong(), c.get("passage").getAsLong(),
                    c.get("token").getAsInt());
            Map<String, Object> identity = new LinkedHashMap<>();
            o.getAsJsonObject("identity").entrySet().forEach(e -> identity.put(e.getKey(), e.getValue().getAsString()));
            return new State(o.get("step").getAsLong(), o.get("optimizer_step").getAsLong(), cursor, identity);
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InfuseException("malformed checkpoint state " + file + ": " + e.getMessage());
        }
    }

    public static BertModel readModel(Path dir) {
        return Checkpoints.readHuggingFace(dir);
    }

    public static Map<String, HostTensor> readMoments(Path dir) {
        return Safetensors.read(dir.resolve("optimizer.safetensors"));
    }

    static String toJson(State s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", s.step());
        o.put("optimizer_step", s.optimizerStep());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("epoch", s.cursor().epoch());
        c.put("index", s.cursor().index());
        c.put("passage", s.cursor().passage());
        c.put("token", s.cursor().token());
        o.put("cursor", c);
        o.put("rng", "stateless: dropout re-seeds torch from (seed, step, micro-batch) before each forward; masks are drawn"
                + " from (seed, epoch, instance index)");
        Map<String, String> id = new java.util.TreeMap<>();
        s.identity().forEach((k, v) -> id.put(k, String.valueOf(v)));
        o.put("identity", id);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        return gson.toJson(o) + "\n";
    }
}
