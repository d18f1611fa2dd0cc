package dev.infuse.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Starts DJL's PyTorch engine offline, once per JVM, with infuse's own native cache and thread count.
 *
 * <p>Everything here must happen before the first {@link Engine#getInstance()} call: DJL reads these
 * properties at start-up only. The offline flag also stops the start-up telemetry call, and the tracking
 * opt-out is set as a second guard.
 */
public final class Engines {
    private static volatile Engine engine;
    private static int threads = Runtime.getRuntime().availableProcessors();
    private static Precision requested = Precision.FP32; // null: auto
    private static boolean announce;
    private static volatile Precision chosen;

    private Engines() {}

    /** Where infuse keeps its caches: {@code $INFUSE_HOME}, else {@code ~/.cache/infuse}. */
    public static Path home() {
        String env = System.getenv("INFUSE_HOME");
        String prop = System.getProperty("infuse.home");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "infuse");
    }

    /** Sets the intra-op thread count; must be called before the engine starts. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        if (engine != null && n != threads) {
            throw new IllegalStateException("the engine already started with " + threads + " threads");
        }
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    /**
     * {@code --precision} of one command: a precision, or null for auto. The choice is made when the first
     * model runs and said then, once. Library code that never calls this runs fp32, silently.
     */
    public static synchronized void usePrecision(Precision p) {
        requested = p;
        announce = true;
        chosen = null;
    }

    /** Back to the library default (fp32, unannounced); the CLI calls this when a command ends. */
    public static synchronized void resetPrecision() {
        requested = Precision.FP32;
        announce = false;
        chosen = null;
    }

    /**
     * The precision models run at. Auto picks bf16 only where the CPU has bf16 instructions (AMX or
     * AVX512-BF16) and the engine's bf16 kernels load; a forced bf16 the engine cannot run is a user error,
     * never a silent fp32 run.
     */
    public static Precision precision() {
        Precision p = chosen;
        if (p == null) {
            synchronized (Engines.class) {
                if (chosen == null) {
                    PrecisionChoice c = PrecisionChoice.decide(requested, CpuFlags.here(), Engines::bf16Problem);
                    if (announce) {
                        System.err.println("infuse: " + c.message());
                    }
                    chosen = c.precision();
                }
                p = chosen;
            }
        }
        return p;
    }

    /** The chosen precision's label for provenance, or null if no model has run in this process. */
    public static String precisionIfChosen() {
        Precision p = chosen;
        return p == null ? null : p.label();
    }

    /** Why the engine cannot run the bf16 kernels, or null if it can. */
    private static String bf16Problem() {
        try {
            Bf16Kernels.get();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Starts the engine if needed and returns it. */
    public static Engine get() {
        Engine e = engine;
        if (e == null) {
            synchronized (Engines.class) {
                if (engine == null) {
                    engine = start();
                }
                e = engine;
            }
        }
        return e;
    }

    public static NDManager newManager() {
        return get().newBaseManager();
    }

    private static Engine start() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.default_engine", "PyTorch");
        System.setProperty("DJL_CACHE_DIR", home().resolve("djl").toString());
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine("PyTorch");
    }
}
