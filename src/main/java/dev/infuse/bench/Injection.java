package dev.infuse.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.inject.zeo.ZeoPipeline;
import dev.infuse.inject.zeo.ZeoSpec;
import dev.infuse.io.AtomicFiles;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Freeze;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.TrainSettings;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The knowledge-injection methods a comparison can run, each turning the base model into what the tasks
 * read: a model reference and, for PELT, an entity table. A finished method leaves {@code done.json}
 * (with its wall-clock seconds) and is not run again; a killed pretraining continues from its checkpoint.
 */
public final class Injection {
    public static final List<String> METHODS = List.of("none", "pelt", "token-mask", "entity-mask", "zeo", "zeo:0", "zeo:1", "zeo:2");

    /** What the tasks read: {@code model} (directory or built-in name) plus an optional PELT table. */
    public record Injected(String model, Path table, double seconds) {}

    private Injection() {}

    public static void check(List<String> methods) {
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new InfuseException("unknown method \"" + m + "\" in --methods: expected " + String.join(", ", METHODS));
            }
        }
    }

    /**
     * Runs {@code method} into {@code dir} (or finds it done there).
     *
     * @param entities the entity ids PELT builds rows for
     * @param vectors ZEO's knowledge vectors, shared by every ZEO variant of the comparison
     */
    public static Injected run(String method, String base, Path domain, Budget budget, long seed, Set<String> entities, Path dir,
            Path vectors, PrintStream log) {
        Path done = dir.resolve("done.json");
        Path table = method.equals("pelt") ? dir.resolve("table.pelt") : null;
        String model = switch (method) {
            case "none", "pelt" -> base;
            case "token-mask", "entity-mask" -> dir.toString();
            default -> dir.resolve("model").toString();
        };
        if (Files.exists(done)) {
            return new Injected(model, table, readSeconds(done));
        }
        long t0 = System.nanoTime();
        log.println("infuse bench: injecting with " + method + " into " + dir);
        switch (method) {
            case "none" -> { }
            case "pelt" -> {
                try (MaskedLm lm = MaskedLm.load(base)) {
                    PeltBuilder.build(lm, DomainBundle.open(domain), PeltOptions.defaults().withEntities(entities), table,
                            s -> log.println("infuse: " + s));
                }
            }
            case "token-mask", "entity-mask" -> Pretraining.run(new PretrainJob(base, new BundleCorpus(DomainBundle.open(domain)),
                    method.substring(0, method.indexOf('-')), InstanceStream.Packing.PACKED, settings(budget, seed), dir,
                    hasCheckpoint(dir), false), List.of(), log);
            default -> {
                int inject = method.equals("zeo") ? 2 : method.charAt(4) - '0';
                new ZeoPipeline(base, domain, dir, null, new ZeoSpec.Settings(inject, budget.contrastiveWeight(), 1), settings(budget, seed),
                        hasCheckpoint(dir.resolve("model")), false, vectors, budget.vectorLength()).run(log);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonObject o = new JsonObject();
        o.addProperty("method", method);
        o.addProperty("seconds", seconds);
        o.addProperty("model", model);
        AtomicFiles.writeString(done, o + "\n");
        return new Injected(model, table, seconds);
    }

    static TrainSettings settings(Budget b, long seed) {
        return TrainSettings.shortRun(b.pretrainBatch(), b.pretrainLength(), b.pretrainLr(), new Freeze(b.pretrainTopLayers(), false),
                b.pretrainSteps(), seed);
    }

    private static boolean hasCheckpoint(Path dir) {
        return Files.isDirectory(dir) && TrainCheckpoint.find(dir) != null;
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
