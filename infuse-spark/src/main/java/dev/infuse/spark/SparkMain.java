package dev.infuse.spark;

import dev.infuse.cli.GroupCommand;
import dev.infuse.cli.Main;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Versions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infuse-spark}: infuse's corpus-scale jobs on a Spark cluster, started by
 * {@code spark-submit --class dev.infuse.spark.SparkMain infuse-spark.jar JOB ...}. Each job gives the result the
 * single-machine command gives on the same input; errors read as {@code infuse}'s do.
 */
@Command(name = "infuse-spark", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = SparkMain.Version.class,
        description = "infuse's corpus-scale jobs on Spark: the single machine's results, computed on a cluster.",
        subcommands = {CommandLine.HelpCommand.class, SparkMain.Pelt.class, SparkMain.Zeo.class, PredictJob.class, SparkMain.Domain.class})
public final class SparkMain implements Callable<Integer> {
    @Option(names = "--verbose", description = "Print stack traces for errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** {@code --version}: infuse's versions and the Spark this jar was built against. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"infuse-spark " + Versions.infuse() + " (DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch()
                    + ", built against Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
        }
    }

    @Command(name = "pelt", description = "PELT tables.", subcommands = {PeltBuildJob.class})
    static final class Pelt extends GroupCommand {}

    @Command(name = "zeo", description = "ZEO knowledge vectors.", subcommands = {ZeoVectorsJob.class})
    static final class Zeo extends GroupCommand {}

    @Command(name = "domain", description = "Domain bundles.", subcommands = {DomainStatsJob.class})
    static final class Domain extends GroupCommand {}

    public static void main(String[] args) {
        StopSignal.install();
        System.exit(run(args));
    }

    /** Runs a job and returns its exit code; tests call this. */
    public static int run(String... args) {
        return Main.run(new SparkMain(), args);
    }
}
