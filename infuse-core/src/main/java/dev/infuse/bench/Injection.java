package dev.infuse.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.bench.methods.InjectionJob;
import dev.infuse.bench.methods.InjectionMethod;
import dev.infuse.bench.methods.InjectionMethods;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.io.AtomicFiles;
import dev.infuse.train.Freeze;
import dev.infuse.train.TrainSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a comparison's injection methods (found by name in {@link InjectionMethods}) and keeps their
 * bookkeeping: a finished method leaves {@code done.json} (with its wall-clock seconds) and is not run
 * again; a killed pretraining continues from its checkpoint.
 */
public final class Injection {
    public static final List<String> METHODS = InjectionMethods.NAMES;

    /** What the tasks read: {@code model} (directory or built-in name) and the knowledge plug-ins on top of it. */
    public record Injected(String model, List<KnowledgeSpec> knowledge, double seconds) {}

    private Injection() {}

    public static void check(List<String> methods) {
        methods.forEach(InjectionMethods::get);
    }

    /**
     * Runs {@code method} into {@code dir} (or finds it done there).
     *
     * @param entities the entity ids PELT builds rows for
     * @param vectors ZEO's knowledge vectors, shared by every ZEO variant of the comparison
     * @param tasks the comparison's task files, for a method that learns from a task (NMG)
     */
    public static Injected run(String method, String base, Path domain, Budget budget, long seed, Set<String> entities, Path dir,
            Path vectors, Path tasks, PrintStream log) {
        InjectionMethod m = InjectionMethods.get(method);
        Path done = dir.resolve("done.json");
        String model = m.model(base, dir);
        if (Files.exists(done)) {
            return new Injected(model, m.knowledge(dir, seed, budget.peltNorm()), readSeconds(done));
        }
        long t0 = System.nanoTime();
        log.println("infuse bench: injecting with " + method + " into " + dir);
        m.inject(new InjectionJob(base, domain, settings(budget, seed), budget.contrastiveWeight(), budget.vectorLength(), entities, dir,
                vectors, tasks, log));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonObject o = new JsonObject();
        o.addProperty("method", method);
        o.addProperty("seconds", seconds);
        o.addProperty("model", model);
        AtomicFiles.writeString(done, o + "\n");
        return new Injected(model, m.knowledge(dir, seed, budget.peltNorm()), seconds);
    }

    static TrainSettings settings(Budget b, long seed) {
        return TrainSettings.shortRun(b.pretrainBatch(), b.pretrainLength(), b.pretrainLr(), new Freeze(b.pretrainTopLayers(), false),
                b.pretrainSteps(), seed);
    }

    private static double readSeconds(Path done) {
        try {
            return JsonParser.parseString(Files.readString(done)).getAsJsonObject().get("seconds").getAsDouble();
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + done + ": " + e.getMessage() + "; delete it to run the method again");
        }
    }

    static String dirName(String method) {
        return method.replace(':', '-').toLowerCase(Locale.ROOT);
    }
}
