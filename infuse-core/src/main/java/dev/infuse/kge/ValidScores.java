package dev.infuse.kge;

import dev.infuse.InfuseException;
import dev.infuse.io.Jsons;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Filtered link prediction on --valid every N steps and after the last, as a line on stderr and a line of
 * {@code valid_scores.jsonl}; on resume, lines past the checkpoint are dropped so the file reads as one run. Each
 * line carries the training seconds so far (the steps' own time, evaluations excluded, summed across resumes from
 * {@code metrics.jsonl}), so the file is the curve of MRR against training time.
 */
final class ValidScores implements TrainListener {
    static final String FILE = "valid_scores.jsonl";

    private final KgeModel model;
    private final Triples valid;
    private final KnownTriples known;
    private final int every;
    private final Path file;
    private final PrintStream log;
    private final Path metrics;
    private double trainSeconds;

    ValidScores(KgeModel model, Triples valid, KnownTriples known, int every, Path out, PrintStream log) {
        this.model = model;
        this.valid = valid;
        this.known = known;
        this.every = every;
        this.file = out.resolve(FILE);
        this.metrics = out.resolve("metrics.jsonl");
        this.log = log;
    }

    @Override
    public void onStart(long step, long maxSteps) {
        try {
            if (Files.exists(file)) {
                List<String> keep = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> stepOf(l) <= step).toList();
                Files.write(file, keep, StandardCharsets.UTF_8);
            }
            trainSeconds = 0;
            if (Files.exists(metrics)) { // already cut back to the checkpoint's step by the metrics log, added before this listener
                for (String l : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                    trainSeconds += secondsOf(l);
                }
            }
        } catch (IOException e) {
            throw new InfuseException("cannot rewrite " + file + ": " + e.getMessage());
        }
    }

    private static long stepOf(String line) {
        try {
            return com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong();
        } catch (RuntimeException torn) {
            return Long.MAX_VALUE;
        }
    }

    private static double secondsOf(String line) {
        try {
            return com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("seconds").getAsDouble();
        } catch (RuntimeException torn) {
            return 0;
        }
    }

    @Override
    public void onStep(StepReport r) {
        trainSeconds += r.seconds();
        if (!((every > 0 && r.step() % every == 0) || r.step() == r.maxSteps())) {
            return;
        }
        long t0 = System.nanoTime();
        LinkPrediction.Metrics m = LinkPrediction.evaluate(model, valid, known, null, false);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.println(String.format(Locale.ROOT, "infuse: step %d valid MRR %.4f MR %.0f Hits@1 %.4f @3 %.4f @10 %.4f (%.0f s)", r.step(), m.mrr(),
                m.mr(), m.hits1(), m.hits3(), m.hits10(), secs));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("step", r.step());
        o.putAll(m.toMap());
        o.put("rankings", m.rankings());
        o.put("eval_seconds", secs);
        o.put("train_seconds", trainSeconds);
        try {
            Files.writeString(file, Jsons.compact().toJson(o) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new InfuseException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
