package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.AdamW;
import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.data.Cursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code nmg train} needs to continue exactly after a kill, in {@code OUT/checkpoint/} after every
 * episode: the player and the opponent ({@code policies.safetensors}), the policy's AdamW moments, the replay
 * memory, the reward curve so far, and {@code trainer_state.json} in the trainer's format (its step is the
 * episodes done), so the output directory follows the same rules as every training run. Written into
 * {@code .checkpoint-new}, then swapped in by renames, as {@link TrainCheckpoint} does.
 */
final class NmgCheckpoint {
    static final String POLICIES = "policies.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String REPLAY = "replay.safetensors";
    static final String CURVE = "rewards.jsonl";

    /** @param curve the reward curve's lines, one per finished episode */
    record State(long episodes, Map<String, HostTensor> policies, Map<String, HostTensor> moments, long optimizerSteps,
            ReplayMemory memory, List<String> curve) {}

    private NmgCheckpoint() {}

    static void save(Path out, State st, Map<String, Object> identity) {
        Path fresh = out.resolve(".checkpoint-new");
        Path old = out.resolve(".checkpoint-old");
        Path dir = out.resolve(TrainCheckpoint.DIR);
        try (dev.infuse.io.StopSignal.Writing w = dev.infuse.io.StopSignal.writing()) {
            AtomicFiles.deleteTree(fresh);
            Files.createDirectories(fresh);
            Safetensors.write(fresh.resolve(POLICIES), st.policies());
            Safetensors.write(fresh.resolve(OPTIMIZER), st.moments());
            Safetensors.write(fresh.resolve(REPLAY), st.memory().export());
            AtomicFiles.writeString(fresh.resolve(CURVE), lines(st.curve()));
            AtomicFiles.writeString(fresh.resolve("trainer_state.json"), TrainCheckpoint.stateJson(
                    new TrainCheckpoint.State(st.episodes(), st.optimizerSteps(), new Cursor(0, 0, 0, 0), identity)));
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

    static State load(Path dir, int replayCapacity) {
        TrainCheckpoint.State st = TrainCheckpoint.readState(dir);
        try {
            List<String> curve = Files.readAllLines(dir.resolve(CURVE)).stream().filter(l -> !l.isBlank()).toList();
            return new State(st.step(), Safetensors.read(dir.resolve(POLICIES)), Safetensors.read(dir.resolve(OPTIMIZER)),
                    st.optimizerStep(), ReplayMemory.restore(replayCapacity, Safetensors.read(dir.resolve(REPLAY))), curve);
        } catch (IOException e) {
            throw new InfuseException("cannot read the checkpoint in " + dir + ": " + e.getMessage());
        }
    }

    static String lines(List<String> curve) {
        StringBuilder b = new StringBuilder();
        curve.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    static Map<String, HostTensor> both(PolicyNet player, PolicyNet opponent) {
        Map<String, HostTensor> m = new LinkedHashMap<>(player.export());
        m.putAll(opponent.export());
        return m;
    }

    static Map<String, HostTensor> moments(AdamW adam) {
        return adam.exportMoments();
    }
}
