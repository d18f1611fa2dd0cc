package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainListener;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoint averaging ({@code --average-last K}), a self-ensemble at the cost of one model: at every dev evaluation the
 * trained weights are written to {@code snapshots/step-N.safetensors} (the last K kept), and after training their
 * mean becomes the model in {@code averaged/}. Snapshots are files, so a resumed run averages the same ones.
 */
final class CheckpointAverage implements TrainListener {
    static final String DIR = "snapshots";
    static final String AVERAGED = "averaged";

    private final Path dir;
    private final Map<String, NDArray> trained;
    private final long every;
    private final int keep;

    CheckpointAverage(Path out, Map<String, NDArray> trained, long every, int keep) {
        this.dir = out.resolve(DIR);
        this.trained = trained;
        this.every = every;
        this.keep = keep;
    }

    @Override
    public void onStep(StepReport r) {
        if (r.step() % every != 0 && r.step() != r.maxSteps()) {
            return;
        }
        Map<String, HostTensor> t = new LinkedHashMap<>();
        trained.forEach((k, v) -> t.put(k, Checkpoints.toHost(v)));
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name(r.step()) + ".tmp");
            Safetensors.write(tmp, t);
            Files.move(tmp, dir.resolve(name(r.step())), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            List<Path> all = snapshots(dir);
            for (int i = 0; i < all.size() - keep; i++) {
                Files.delete(all.get(i));
            }
        } catch (IOException e) {
            throw new InfuseException("cannot write a snapshot into " + dir + ": " + e.getMessage());
        }
    }

    /** Snapshots of evaluations up to {@code step}, oldest first; later ones (a resumed run's future) are dropped. */
    static List<Path> snapshots(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{9}\\.safetensors")).sorted().toList();
        }
    }

    static String name(long step) {
        return String.format("step-%09d.safetensors", step);
    }

    /** Removes snapshots taken after {@code step}: a resumed run writes them again. */
    static void truncateAfter(Path out, long step) {
        try {
            for (Path p : snapshots(out.resolve(DIR))) {
                if (Long.parseLong(p.getFileName().toString().substring(5, 14)) > step) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new InfuseException("cannot tidy " + out.resolve(DIR) + ": " + e.getMessage());
        }
    }

    /**
     * Puts the mean of the kept snapshots into the trained weights and returns how many were averaged. The mean is
     * taken in double precision, in snapshot order, so the same snapshots always give the same bytes.
     */
    int average() {
        List<Path> files;
        try {
            files = snapshots(dir);
        } catch (IOException e) {
            throw new InfuseException("cannot list " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            return 0;
        }
        List<Map<String, HostTensor>> all = new ArrayList<>();
        for (Path f : files) {
            all.add(Safetensors.read(f));
        }
        for (Map.Entry<String, NDArray> e : trained.entrySet()) {
            int n = Math.toIntExact(e.getValue().getShape().size());
            double[] sum = new double[n];
            for (Map<String, HostTensor> s : all) {
                FloatBuffer b = s.get(e.getKey()).data().duplicate();
                for (int i = 0; i < n; i++) {
                    sum[i] += b.get(b.position() + i);
                }
            }
            float[] mean = new float[n];
            for (int i = 0; i < n; i++) {
                mean[i] = (float) (sum[i] / all.size());
            }
            Tensors.assign(e.getValue(), new HostTensor(e.getValue().getShape().getShape(), FloatBuffer.wrap(mean)));
        }
        return all.size();
    }
}
