package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.inject.pelt.PeltParts;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.TaskModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * What an executor JVM loads once and shares between its tasks: models and a bundle's entities, read from a
 * path every node can read. Nothing here travels in a closure; a task names the path and finds the loaded
 * object. Tasks of one JVM run their forward passes side by side on the shared weights (inference only).
 */
final class ExecutorState {
    private static final Map<String, Object> LOADED = new HashMap<>();
    private static boolean threadsSet;

    private ExecutorState() {}

    /** The masked LM at {@code model}, loaded by the first task of this JVM that asks. */
    static MaskedLm maskedLm(String model, String precision) {
        return load("mlm " + precision + " " + model, precision, () -> MaskedLm.load(SharedFiles.local(model).toString()));
    }

    /** The fine-tuned task model at {@code model}. */
    static TaskModel taskModel(String model, String precision) {
        return load("task " + precision + " " + model, precision, () -> TaskModel.load(SharedFiles.local(model)));
    }

    /** The entities of the bundle at {@code domain} (only its entities file is copied when the bundle is remote). */
    static List<Entity> entities(String domain) {
        return load("entities " + domain, null, () -> entitiesOf(domain));
    }

    /** A PELT build's mention selection and matcher over the bundle's entities, built once per setting. */
    static PeltParts peltParts(String domain, PeltOptions options) {
        return load("pelt " + domain + " " + options.key(), null, () -> new PeltParts(entities(domain), options));
    }

    static List<Entity> entitiesOf(String domain) {
        Path local = SharedFiles.localBundle(domain);
        return DomainBundle.open(local).requireValid().entities();
    }

    @SuppressWarnings("unchecked")
    private static synchronized <T> T load(String key, String precision, java.util.function.Supplier<T> loader) {
        if (precision != null) {
            engine(precision);
        }
        Object o = LOADED.get(key);
        if (o == null) {
            try {
                o = loader.get();
            } catch (InfuseException e) {
                throw new InfuseException("executor " + host() + ": " + e.getMessage());
            }
            LOADED.put(key, o);
        }
        return (T) o;
    }

    /**
     * The engine of this JVM: the driver's precision, and as many intra-op threads as Spark gives a task
     * ({@code spark.task.cpus}, default 1), so the tasks of an executor do not fight over its cores. In local mode the
     * driver's JVM is the executor, and an engine it already started keeps its threads.
     */
    private static void engine(String precision) {
        if (!threadsSet) {
            TaskContext task = TaskContext.get();
            int threads = task != null ? Math.max(1, task.cpus()) : 1;
            try {
                Engines.setThreads(threads);
            } catch (IllegalStateException alreadyStarted) {
                // The driver in local mode, or a test JVM: keep the running engine.
            }
            threadsSet = true;
        }
        if (!precision.equals(Engines.precisionIfChosen())) {
            Engines.usePrecision(Precision.parseChoice(precision));
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "(unknown host)";
        }
    }
}
