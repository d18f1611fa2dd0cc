package dev.infuse.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.BertModel;
import ai.djl.ndarray.NDArray;
import dev.infuse.engine.Tensors;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.ParameterOwner;
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
 * A resumable training state in {@code OUT/checkpoint/}, the same for every run the {@link Trainer} drives:
 * the encoder as a Hugging Face directory ({@code config.json}, {@code model.safetensors}), every other
 * module's parameters and checkpoint state by name ({@code modules.safetensors}: heads, hooks, an objective's
 * own parameters), the AdamW moments ({@code optimizer.safetensors}), {@code trainer_state.json} (step,
 * optimizer step, data cursor, how the random generators are seeded, and the run's identity so a resume
 * with other settings is refused), and any files the run adds (fine-tuning's early-stopping state).
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

    /**
     * Reads the state of checkpoint {@code dir} and checks it against the run that resumes it: the step must be
     * within {@code maxSteps}.
     */
    public static State readState(Path dir, long maxSteps) {
        State s = readState(dir);
        if (s.step() > maxSteps) {
            throw new InfuseException("cannot resume: the checkpoint in " + dir + " is at step " + s.step() + ", past this run's "
                    + maxSteps + " steps; its trainer_state.json was not written by this run");
        }
        return s;
    }

    public static final String MODULES = "modules.safetensors";

    /**
     * @param model the encoder, or null for a run that has none (knowledge-graph embeddings: every parameter is a module's)
     * @param extra more files for the checkpoint, name to text, swapped in with the rest
     */
    public static void save(Path out, BertModel model, Trainables params, AdamW adam, State state, Map<String, String> extra) {
        Path fresh = out.resolve(".checkpoint-new");
        Path old = out.resolve(".checkpoint-old");
        Path dir = out.resolve(DIR);
        try {
            AtomicFiles.deleteTree(fresh);
            Files.createDirectories(fresh);
            if (model != null) {
                Checkpoints.writeHuggingFace(model, fresh);
            }
            Map<String, HostTensor> modules = exportModules(params);
            if (!modules.isEmpty()) {
                Safetensors.write(fresh.resolve(MODULES), modules);
            }
            Safetensors.write(fresh.resolve("optimizer.safetensors"), adam.exportMoments());
            AtomicFiles.writeString(fresh.resolve("trainer_state.json"), toJson(state));
            for (Map.Entry<String, String> e : extra.entrySet()) {
                AtomicFiles.writeString(fresh.resolve(e.getKey()), e.getValue());
            }
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

    /** Removes the checkpoint of a finished run, and the one a crash between renames may have left. */
    public static void clear(Path out) {
        try {
            AtomicFiles.deleteTree(out.resolve(DIR));
            AtomicFiles.deleteTree(out.resolve(".checkpoint-old"));
        } catch (IOException e) {
            throw new InfuseException("cannot delete the checkpoint in " + out + ": " + e.getMessage());
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
        } catch (InfuseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InfuseException("malformed checkpoint state " + file + ": " + e.getMessage());
        }
    }

    /** Every module's parameters and checkpoint state by name, copied to the host. */
    static Map<String, HostTensor> exportModules(Trainables params) {
        Map<String, HostTensor> out = new java.util.TreeMap<>();
        for (ParameterOwner m : params.modules()) {
            m.parameters().forEach((name, a) -> out.put(name, Checkpoints.toHost(a)));
            out.putAll(m.checkpointState());
        }
        return out;
    }

    /**
     * Puts a checkpoint's module parameters and state back into the live modules of {@code params}, and its
     * moments and step count into {@code adam}. The encoder's weights are read with {@link #readModel}.
     */
    public static void restore(Path dir, Trainables params, AdamW adam, long optimizerStep) {
        Map<String, HostTensor> saved = Files.exists(dir.resolve(MODULES)) ? Safetensors.read(dir.resolve(MODULES)) : Map.of();
        for (ParameterOwner m : params.modules()) {
            for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
                Tensors.assign(e.getValue(), required(saved, e.getKey(), dir));
            }
            Map<String, HostTensor> state = new LinkedHashMap<>();
            for (String name : m.checkpointState().keySet()) {
                state.put(name, required(saved, name, dir));
            }
            if (!state.isEmpty()) {
                m.restoreCheckpointState(state);
            }
        }
        adam.restore(readMoments(dir), optimizerStep);
    }

    private static HostTensor required(Map<String, HostTensor> saved, String name, Path dir) {
        HostTensor t = saved.get(name);
        if (t == null) {
            throw new InfuseException("checkpoint " + dir + " has no \"" + name + "\" in " + MODULES + "; it was written by a run with other modules");
        }
        return t;
    }

    public static BertModel readModel(Path dir) {
        return Checkpoints.readHuggingFace(dir);
    }

    public static Map<String, HostTensor> readMoments(Path dir) {
        return Safetensors.read(dir.resolve("optimizer.safetensors"));
    }

    /** {@code trainer_state.json}'s text, for a run that keeps its own checkpoint files beside it (NMG's episodes). */
    public static String stateJson(State s) {
        return toJson(s);
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
        return dev.infuse.io.Jsons.pretty().toJson(o) + "\n";
    }
}
