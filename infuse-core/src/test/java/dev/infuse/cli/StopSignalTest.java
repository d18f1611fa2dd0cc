package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.ChildJvm;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.TinyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 30: {@code infuse pretrain} in child JVMs, stopped by SIGTERM, SIGINT, or SIGTERM then SIGINT, at
 * moments spread over several training steps (most of a step is native forward and backward). Every run must
 * end with 143 or 130 and its one line, leave no JVM crash report, and the resumed runs end bit-identical to an
 * uninterrupted one.
 */
class StopSignalTest {
    static final int STEPS = 60;
    static final int RUNS = 50;
    static final Pattern STOPPED = Pattern.compile(
            "infuse: stopped by (SIGTERM|SIGINT) after step (\\d+) of " + STEPS + "; the checkpoint of step (\\d+) is in (.*); rerun with --resume to continue");

    static final Pattern SECOND = Pattern.compile("infuse: a second signal \\((SIGTERM|SIGINT)\\): stopping at once, without a checkpoint");

    // Fifty-odd short JVMs on two cores: the quick compiler only, so start-up is not spent on optimising code.
    static final List<String> CHEAP_START = List.of("-XX:TieredStopAtLevel=1", "-Xmx512m");

    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;
    static Path crashDir;

    // Every child started, so a failing test leaves none running.
    static final List<Process> STARTED = java.util.Collections.synchronizedList(new ArrayList<>());

    @org.junit.jupiter.api.AfterAll
    static void stopChildren() {
        synchronized (STARTED) {
            STARTED.forEach(Process::destroyForcibly);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        // Wider than TinyRun's model so a step lasts tens of milliseconds, nearly all of it in native forward and backward.
        var tok = TinyRun.tokenizer();
        var config = new BertConfig("bert", tok.vocabSize(), 128, 2, 4, 512, "gelu", 0.1f, 0.1f, 64, 2, 1e-12f, 0, 0.02f);
        try (MaskedLm lm = new MaskedLm(BertModel.random(config, 1), tok, "small")) {
            model = tmp.resolve("small");
            lm.save(model, Provenance.of("model"));
        }
        corpus = TinyRun.corpus(tmp.resolve("corpus.txt"));
        crashDir = tmp.resolve("crash");
    }

    /** One child run: the signals sent, when, and what came back. */
    record Run(int index, List<String> signals, double delayMs, Path out, Path cwd, long pid, int exit, String log) {
        String line() {
            return log.lines().filter(l -> l.startsWith("infuse: ") && !l.startsWith("infuse: warning")).reduce((a, b) -> b).orElse("");
        }
    }

    @Test
    void signalsAcrossStepsStopCleanlyAndResumeBitIdentical() throws Exception {
        Run straight = run(-1, List.of(), 0, false, null);
        assertEquals(0, straight.exit(), straight.log());
        byte[] expected = Files.readAllBytes(straight.out().resolve("model.safetensors"));
        double stepMs = medianStepMs(straight.out().resolve("metrics.jsonl"));

        // TERM, INT, TERM, INT, TERM-then-INT, ...; the delay after the first step walks across five steps.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Run>> futures = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            int index = i;
            List<String> signals = switch (i % 5) {
                case 0, 2 -> List.of("TERM");
                case 1, 3 -> List.of("INT");
                default -> List.of("TERM", "INT");
            };
            double delay = stepMs * 5 * ((i * 7) % RUNS) / RUNS;
            futures.add(pool.submit(() -> run(index, signals, delay, false, null)));
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            runs.add(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();

        int graceful = 0;
        for (Run r : runs) {
            String what = "run " + r.index() + " " + r.signals() + " at +" + String.format("%.1f", r.delayMs()) + " ms: ";
            assertEquals(List.of(), ChildJvm.crashReports(r.pid(), crashDir, r.cwd()), what + "crash report written\n" + r.log());
            assertTrue(r.log().lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("#")), what + "stack trace or crash\n" + r.log());
            try (Stream<Path> left = Files.walk(r.out())) {
                assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.equals(".checkpoint-new")).toList(),
                        what + "half-written files left");
            }
            if (r.signals().size() == 2 && SECOND.matcher(r.log()).find()) {
                // The JVM hands each signal to a thread of its own, so either may count as the first; and a stop that
                // finishes its checkpoint as the second signal comes may exit on its own before the signal is sent again.
                assertTrue(r.exit() == 130 || r.exit() == 143, what + r.log());
                continue;
            }
            Matcher m = STOPPED.matcher(r.line());
            assertTrue(m.matches(), what + "unexpected last line: " + r.line() + "\n" + r.log());
            assertEquals(m.group(1).equals("SIGTERM") ? 143 : 130, r.exit(), what + r.log());
            if (r.signals().size() == 1) {
                assertEquals("SIG" + r.signals().get(0), m.group(1), what + r.line());
            }
            long step = Long.parseLong(m.group(2));
            assertTrue(step >= 1 && step < STEPS, what + r.line());
            assertEquals(step, Long.parseLong(m.group(3)), what + "the checkpoint is of the step the run stopped after");
            graceful++;
        }
        assertTrue(graceful >= RUNS / 2, "most runs stop at a step: " + graceful + " of " + RUNS);
        long atOnce = runs.stream().filter(r -> SECOND.matcher(r.log()).find()).count();
        System.out.printf("StopSignalTest: %d runs, a step %.1f ms; stopped after a step: %s; stopped at once by a second signal: %d; exits %s%n",
                RUNS, stepMs, runs.stream().map(r -> STOPPED.matcher(r.line())).filter(Matcher::matches).mapToLong(m -> Long.parseLong(m.group(2)))
                        .summaryStatistics(), atOnce,
                runs.stream().collect(java.util.stream.Collectors.groupingBy(Run::exit, java.util.TreeMap::new, java.util.stream.Collectors.counting())));

        // Resume a few of each kind; every one must end with the uninterrupted run's weights, bit for bit.
        List<Run> chosen = new ArrayList<>();
        for (String kind : List.of("[TERM]", "[INT]", "[TERM, INT]")) {
            runs.stream().filter(r -> r.signals().toString().equals(kind) && Files.exists(r.out().resolve("checkpoint/trainer_state.json")))
                    .limit(2).forEach(chosen::add);
        }
        assertTrue(chosen.size() >= 5, "runs to resume: " + chosen.size());
        for (Run r : chosen) {
            Run resumed = run(r.index(), List.of(), 0, true, r.out());
            assertEquals(0, resumed.exit(), "resume of run " + r.index() + "\n" + resumed.log());
            assertArrayEquals(expected, Files.readAllBytes(r.out().resolve("model.safetensors")), "run " + r.index() + " " + r.signals()
                    + " resumed is not bit-identical to the uninterrupted run");
        }
    }

    @Test
    void aSignalWhereTheCommandCannotStopLetsItFinishAndSaysSo() {
        dev.infuse.io.StopSignal.request(dev.infuse.io.StopSignal.Kind.TERM);
        CliRun r;
        try {
            r = CliRun.of("--version");
        } finally {
            dev.infuse.io.StopSignal.clear();
        }
        assertEquals(143, r.code(), r.err());
        assertTrue(r.out().startsWith("infuse "), r.out());
        assertEquals("infuse: SIGTERM came where the run could not stop; it ran to the end and its outputs are complete", r.err().strip());
    }

    /** Starts {@code infuse pretrain}; with signals, sends them {@code delayMs} after its first step is logged. */
    static Run run(int index, List<String> signals, double delayMs, boolean resume, Path existing) throws IOException, InterruptedException {
        Path out = existing != null ? existing : tmp.resolve(index < 0 ? "straight" : "run-" + index);
        Path cwd = Files.createDirectories(tmp.resolve("cwd-" + index + (resume ? "-resume" : "")));
        List<String> args = new ArrayList<>(List.of("pretrain", "--model", model.toString(), "--corpus", corpus.toString(),
                "--max-steps", Integer.toString(STEPS), "--batch-size", "16", "--max-seq-length", "64", "--lr", "1e-3", "--save-every", "2", "--threads", "1", "--output-dir", out.toString()));
        if (resume) {
            args.add("--resume");
        }
        Path log = cwd.resolve("log.txt");
        Process p = new ProcessBuilder(ChildJvm.command(crashDir, CHEAP_START, Main.class.getName(), args)).directory(cwd.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        STARTED.add(p);
        if (!signals.isEmpty()) {
            Path metrics = out.resolve("metrics.jsonl");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && !(Files.exists(metrics) && Files.size(metrics) > 0) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(500_000);
            }
            LockSupport.parkNanos((long) (delayMs * 1e6));
            for (int s = 0; s < signals.size(); s++) {
                if (s > 0) {
                    LockSupport.parkNanos(2_000_000); // the second signal while the first stop is under way
                }
                kill(signals.get(s), p.pid());
            }
        }
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("run " + index + " did not end: " + Files.readString(log));
        }
        return new Run(index, signals, delayMs, out, cwd, p.pid(), p.exitValue(), Files.readString(log));
    }

    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        k.waitFor(30, TimeUnit.SECONDS);
    }

    static double medianStepMs(Path metrics) throws IOException {
        Pattern wall = Pattern.compile("\"wall_seconds\":([0-9.eE-]+)");
        double[] ms = Files.readAllLines(metrics).stream().map(wall::matcher).filter(Matcher::find).mapToDouble(m -> Double.parseDouble(m.group(1)) * 1e3)
                .sorted().toArray();
        return ms[ms.length / 2];
    }
}
