package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Precision;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/** The options every job shares: where Spark runs, how finely the input is cut, and the engine's precision. */
final class ClusterOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark's master (default: what spark-submit set, else local[*]); local[N] runs N tasks in this JVM.")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Input partitions at least (default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--precision", paramLabel = "auto|fp32|bf16",
            description = "Precision of matrix products. auto is decided once, by the driver's CPU, and every executor uses that"
                    + " choice, so a cluster of mixed machines still computes one result (default: auto, or INFUSE_PRECISION).")
    String precision;

    @Option(names = "--overwrite", description = "Replace an output that exists.")
    boolean overwrite;

    /** The precision every executor uses: auto resolved here, on the driver. Without the flag, infuse's default holds. */
    String resolvedPrecision() {
        if (precision != null) {
            Engines.usePrecision(Precision.parseChoice(precision));
        }
        return Engines.precision().label();
    }

    JavaSparkContext start(String job) {
        if (partitions != null && partitions < 1) {
            throw new InfuseException("--partitions must be at least 1, got " + partitions);
        }
        SparkConf conf = new SparkConf().setAppName("infuse-spark " + job);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        if (sc.isLocal()) {
            // The driver's JVM runs the tasks: give its engine a task's threads before anything starts it.
            try {
                Engines.setThreads(conf.getInt("spark.task.cpus", 1));
            } catch (IllegalStateException alreadyStarted) {
                // A JVM that ran models before (tests) keeps its engine.
            }
        }
        return sc;
    }

    int partitions(JavaSparkContext sc) {
        return partitions != null ? partitions : sc.defaultParallelism();
    }
}
