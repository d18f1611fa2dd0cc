package dev.infuse.task;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.infuse.io.Jsons;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.infuse.InfuseException;
import dev.infuse.io.StopSignal;
import dev.infuse.model.BertModel;
import dev.infuse.train.AdamW;
import dev.infuse.train.StepReport;
import dev.infuse.train.TrainCheckpoint;
import dev.infuse.train.TrainListener;
import dev.infuse.train.Trainables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Fine-tuning's dev side of the loop: scores dev every {@code evalEvery} steps and at the last one, hands
 * a better model and its step to {@code keepBest}, asks the loop to stop after {@code patience} evaluations without
 * improvement, and writes a checkpoint after every evaluation that does not end the run. Its own state
 * (the best scores, the evaluations since them) goes into the checkpoint as {@code state.json}.
 */
final class DevEvaluation implements TrainListener {
    static final String STATE_FILE = "state.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    /** @param best the best dev scores so far (null before the first evaluation); @param bad evaluations since it */
    record State(Scores best, long bestStep, int bad) {
        static final State FRESH = new State(null, 0, 0);
    }

    /** Where a run starts: its step and its early-stopping state. */
    record Start(long step, State state) {
        static final Start FRESH = new Start(0, State.FRESH);
    }

    /**
     * Puts a run back where its checkpoint {@code from} left it (weights, optimizer, data cursor), drops the dev
     * scores logged after that step, and returns the step and the early-stopping state to continue with.
     */
    static Start resume(Path from, long maxSteps, Trainables params, AdamW adam, dev.infuse.train.BatchSource<?> data, Path out, PrintStream log) {
        TrainCheckpoint.State st = TrainCheckpoint.readState(from, maxSteps);
        log.println("infuse: resuming at step " + st.step() + " from " + from);
        TrainCheckpoint.restore(from, params, adam, st.optimizerStep());
        data.seek(st.cursor());
        FinetuneOutput.truncateAfter(out.resolve("dev_scores.jsonl"), st.step());
        return new Start(st.step(), read(from));
    }

    /** Where a checkpoint goes and what it holds besides this listener's state. */
    record Checkpointing(Path out, BertModel encoder, Trainables params, AdamW adam, Map<String, Object> identity) {}

    /** The dev scores of the model as it is now; {@code warn} gets data warnings (unseen labels). */
    interface Scorer {
        Scores score(PrintStream warn);
    }

    private final Scorer scorer;
    private final long evalEvery;
    private final int patience;
    private final Path scoresFile;
    private final Checkpointing checkpointing;
    private final ObjLongConsumer<Scores> keepBest;
    private final PrintStream log;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private State state;
    private boolean stop;
    private long saved = -1;

    DevEvaluation(TaskModel model, TaskSet dev, int batchSize, long evalEvery, int patience, State from, Checkpointing checkpointing,
            ObjLongConsumer<Scores> keepBest, PrintStream log) {
        this(warn -> Predictor.evaluate(model, dev, batchSize, warn), evalEvery, patience, from, checkpointing, keepBest, log);
    }

    /** Early stopping on whatever {@code scorer} ranks by (multi-task: the mean over the tasks). */
    DevEvaluation(Scorer scorer, long evalEvery, int patience, State from, Checkpointing checkpointing, ObjLongConsumer<Scores> keepBest,
            PrintStream log) {
        this.scorer = scorer;
        this.evalEvery = evalEvery;
        this.patience = patience;
        this.scoresFile = checkpointing.out().resolve("dev_scores.jsonl");
        this.checkpointing = checkpointing;
        this.keepBest = keepBest;
        this.log = log;
        this.state = from;
    }

    @Override
    public void onStep(StepReport r) {
        long step = r.step();
        if (step % evalEvery != 0 && step != r.maxSteps()) {
            return;
        }
        Scores s = evaluate(step);
        Scores best = state.best();
        if (best == null || s.primary() > best.primary()) {
            state = new State(s, step, 0);
            keepBest.accept(s, step);
        } else {
            state = new State(best, state.bestStep(), state.bad() + 1);
            if (state.bad() >= patience) {
                log.println("infuse: early stop at step " + step + ": dev " + s.primaryName() + " has not improved for " + state.bad()
                        + " evaluations (best " + String.format("%.4f", best.primary()) + " at step " + state.bestStep() + ")");
                stop = true;
                return;
            }
        }
        if (step < r.maxSteps()) {
            save(r);
        }
    }

    /** A signal stops the run between evaluations: the checkpoint keeps the steps since the last one. */
    @Override
    public void onStop(StepReport last) {
        if (last != null && last.step() != saved && !stop) {
            save(last);
        }
    }

    private void save(StepReport r) {
        Checkpointing c = checkpointing;
        try (StopSignal.Writing w = StopSignal.writing()) {
            TrainCheckpoint.save(c.out(), c.encoder(), c.params(), c.adam(),
                    new TrainCheckpoint.State(r.step(), c.adam().stepCount(), r.cursor(), c.identity()), Map.of(STATE_FILE, toJson(state)));
        }
        saved = r.step();
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    State state() {
        return state;
    }

    List<Map<String, Object>> history() {
        return history;
    }

    private Scores evaluate(long step) {
        // Unseen-label warnings once, at the first evaluation, not at every one.
        Scores s = scorer.score(history.isEmpty() ? log : FinetuneOutput.QUIET);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("step", step);
        h.put(s.primaryName(), s.primary());
        h.put("scores", s.all());
        history.add(h);
        FinetuneOutput.appendLine(scoresFile, Jsons.compact().toJson(h));
        log.println(String.format("infuse: step %d dev %s %.4f", step, s.primaryName(), s.primary()));
        return s;
    }

    static String toJson(State s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("best_step", s.bestStep());
        o.put("bad", s.bad());
        if (s.best() != null) {
            o.put("best_name", s.best().primaryName());
            o.put("best", s.best().primary());
            o.put("best_scores", s.best().all());
        }
        return GSON.toJson(o) + "\n";
    }

    static State read(Path checkpoint) {
        Path file = checkpoint.resolve(STATE_FILE);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Scores best = null;
            if (o.has("best")) {
                Map<String, Object> all = GSON.fromJson(o.get("best_scores"), new TypeToken<LinkedHashMap<String, Object>>() {}.getType());
                best = new Scores(o.get("best_name").getAsString(), o.get("best").getAsDouble(), all);
            }
            return new State(best, o.get("best_step").getAsLong(), o.get("bad").getAsInt());
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read fine-tuning state " + file + ": " + e.getMessage());
        }
    }
}
