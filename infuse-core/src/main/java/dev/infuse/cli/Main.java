package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.io.Versions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code infuse} command: parses flags, dispatches to one subcommand, turns user errors into one line. */
@Command(
        name = "infuse",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // every subcommand answers --help and --version
        versionProvider = Main.Version.class,
        description = "Put domain knowledge into pretrained language models.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, FillMaskCommand.class, ProbeCommand.class, DomainCommand.class,
                PeltCommand.class, ZeoCommand.class, PretrainCommand.class, NmgCommand.class, FinetuneCommand.class, MultiTaskCommand.class, EvalCommand.class, PredictCommand.class, BenchCommand.class, AdapterCommand.class, SenseBertCommand.class, KgeCommand.class, VocabCommand.class,
                KadapterCommand.class, KeplerCommand.class})
public final class Main implements Callable<Integer> {
    @Option(names = "--verbose", description = "Print stack traces for errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    /** {@code --version}: the versions Maven put into the build, not a literal that drifts from the pom. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"infuse " + Versions.infuse() + " (DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch() + ")"};
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    public static void main(String[] args) {
        StopSignal.install(); // before any work: the JVM's own handler would exit under native code (issue 30)
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return run(new Main(), args);
    }

    /**
     * Runs {@code root} (a picocli command, such as {@code infuse-spark}'s) the way {@code infuse} runs: a user
     * error is one line and exit 1 (2 for bad flags), {@code --verbose} adds the stack trace, and a stop signal
     * ends it with the signal's exit code.
     */
    public static int run(Object root, String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CommandLine cmd = new CommandLine(root);
        cmd.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("infuse: " + firstProblem(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, c, parse) -> {
            PrintWriter err = c.getErr();
            Stopped stop = stopIn(ex);
            if (stop != null) {
                err.println("infuse: " + stop.line());
                if (verbose) {
                    stop.printStackTrace(err);
                }
                err.flush();
                return stop.exitCode();
            }
            err.println("infuse: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ex instanceof InfuseException ? 1 : 3;
        });
        cmd.setExecutionStrategy(parsed -> {
            Ranges.check(parsed); // a ParameterException here goes to the handler above, like a parse error
            return new CommandLine.RunLast().execute(parsed);
        });
        int code;
        try {
            dev.infuse.engine.Engines.usePrecision(defaultPrecision()); // unless the command's --precision says otherwise
            code = cmd.execute(args);
        } catch (InfuseException e) {
            System.err.println("infuse: " + e.getMessage());
            return 2;
        } finally {
            dev.infuse.engine.Engines.resetPrecision(); // --precision holds for one command; tests run many in one JVM
        }
        StopSignal.Kind late = StopSignal.received();
        if (code == 0 && late != null) {
            // The signal came where the command has no safe point (loading, the final save, a short command).
            cmd.getErr().println("infuse: " + late.signalName() + " came where the run could not stop; it ran to the end and its outputs"
                    + " are complete");
            cmd.getErr().flush();
            return late.exitCode();
        }
        return code;
    }

    /**
     * {@code --precision}'s default: auto, unless {@code INFUSE_PRECISION} (or the {@code infuse.precision}
     * property) names another. The test suite sets fp32, so its figures do not depend on the machine's CPU.
     */
    static dev.infuse.engine.Precision defaultPrecision() {
        String p = System.getProperty("infuse.precision", System.getenv("INFUSE_PRECISION"));
        try {
            return p == null || p.isBlank() ? null : dev.infuse.engine.Precision.parseChoice(p);
        } catch (InfuseException e) {
            throw new InfuseException("INFUSE_PRECISION: " + e.getMessage().replace("--precision ", ""));
        }
    }

    /** A stop may reach the handler wrapped by code that added context to other failures. */
    static Stopped stopIn(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof Stopped s) {
                return s;
            }
        }
        return null;
    }

    /**
     * An unknown flag is named before anything else, with picocli's closest known flags: {@code --output_dir} typed
     * from Hugging Face habit would otherwise surface as "missing --output-dir", which hides the real mistake.
     */
    static String firstProblem(ParameterException ex) {
        ParameterException shown = ex;
        ParseResult parsed = ex.getCommandLine().getParseResult();
        if (!(ex instanceof UnmatchedArgumentException) && parsed != null && !parsed.unmatched().isEmpty()) {
            shown = new UnmatchedArgumentException(ex.getCommandLine(), parsed.unmatched());
        }
        String line = shown.getMessage() == null ? "bad arguments" : shown.getMessage().lines().findFirst().orElse("bad arguments");
        if (shown instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return line;
    }

    /** A user error prints its message; anything else also names its type, since it is a bug. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (!(t instanceof InfuseException) && t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? "" : t.getMessage().replace('\n', ' ');
        return t instanceof InfuseException ? msg : t.getClass().getSimpleName() + ": " + msg;
    }
}
