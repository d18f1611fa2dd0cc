package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.io.Progress;
import dev.infuse.io.Provenance;
import dev.infuse.io.StopSignal;
import dev.infuse.io.Stopped;
import dev.infuse.mask.Masker;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.task.Labels;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.train.AdamW;
import dev.infuse.train.OutputDir;
import dev.infuse.train.Trainables;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.Instance;
import dev.infuse.train.data.InstanceStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * {@code infuse nmg train}: meta-trains a masking policy by self-play episodes ({@link Episode}) and off-policy
 * actor-critic updates from replay ({@link PolicyUpdate}), then writes the policy directory
 * ({@link PolicyFiles}) into the output directory, beside {@code rewards.jsonl} (the curve) and the checkpoint.
 *
 * <p>The opponent is the player one update round behind: before each round of updates it takes the player's
 * weights. A checkpoint after every episode holds all the state there is, and every draw is seeded by
 * (seed, episode), so a run killed at any point and resumed computes the same bytes as one never stopped.
 */
public final class NmgTraining {
    /** Corpus texts read at most: enough to draw from, bounded so a large corpus does not fill memory. */
    public static final int MAX_TEXTS = 20_000;

    private NmgTraining() {}

    public static void run(NmgTrainJob job, PrintStream log) {
        run(job, done -> { }, List.of(), log);
    }

    /**
     * @param afterEpisode called with the episodes done after each checkpoint; tests stop a run with it
     * @param agentListeners given to every agent's training loop; tests stop a run inside an episode with one
     */
    public static void run(NmgTrainJob job, LongConsumer afterEpisode, List<dev.infuse.train.TrainListener> agentListeners, PrintStream log) {
        NmgSettings s = job.settings();
        DomainBundle bundle = DomainBundle.open(job.domain());
        BundleCorpus corpus = new BundleCorpus(bundle);
        Tasks.kind(job.task());
        Map<String, Object> identity = new LinkedHashMap<>(s.identity());
        identity.put("model", job.model());
        identity.put("task", job.task());
        identity.put("corpus-sha256", corpus.sha256());
        identity.put("task-train-sha256", Provenance.sha256(existing(job.taskTrain())));
        identity.put("task-dev-sha256", Provenance.sha256(existing(job.taskDev())));
        try (OutputDir.Run run = OutputDir.prepare(job.outputDir(), Set.of(PolicyConfig.FILE, PolicyFiles.WEIGHTS, NmgCheckpoint.CURVE),
                identity, job.resume(), job.overwrite(), log)) {
            log.println("infuse: nmg: " + s.describe());
            try {
                train(job, corpus, identity, run.resumeFrom(), afterEpisode, agentListeners, log);
            } catch (Stopped stop) {
                throw stop.then(resumeHint(job.outputDir()));
            }
            run.finish();
        }
    }

    private static String resumeHint(Path out) {
        Path dir = dev.infuse.train.TrainCheckpoint.find(out);
        return dir == null ? "no episode finished, so there is nothing to resume; rerun the command to start again"
                : "the checkpoint after episode " + dev.infuse.train.TrainCheckpoint.readState(dir).step() + " is in " + dir
                        + "; rerun with --resume to continue";
    }

    private static Path existing(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InfuseException("no such file: " + file);
        }
        return file;
    }

    private static void train(NmgTrainJob job, BundleCorpus corpus, Map<String, Object> identity, Path resumeFrom, LongConsumer afterEpisode,
            List<dev.infuse.train.TrainListener> agentListeners, PrintStream log) {
        NmgSettings s = job.settings();
        Path out = job.outputDir();
        try (MaskedLm lm = MaskedLm.load(job.model())) {
            lm.model().config().requireSequenceLength("--max-seq-length", s.maxSeqLength());
            PolicyConfig pc = PolicyConfig.forModel(lm.model().config(), lm.fingerprint());
            TaskSet train = Tasks.read(job.task(), job.taskTrain());
            TaskSet dev = Tasks.read(job.task(), job.taskDev());
            Map<String, HostTensor> base = new LinkedHashMap<>();
            lm.model().parameters().forEach((k, v) -> base.put(k, Checkpoints.toHost(v)));
            EpisodeContext ctx = new EpisodeContext(lm.model().config(), base, lm.tokenizer(), texts(corpus, lm, s), job.task(), train, dev,
                    new Labels(train.labelsInOrder()), pc, s);
            try (PolicyNet player = PolicyNet.random(pc, "player", s.seed());
                    PolicyNet opponent = PolicyNet.of(pc, "opponent", player.export(), "player");
                    AdamW adam = new AdamW(AdamW.Settings.withDecay(0.01f))) {
                Trainables params = new Trainables().module(player);
                ReplayMemory memory = new ReplayMemory(s.replayCapacity());
                List<String> curve = new ArrayList<>();
                long start = 0;
                if (resumeFrom != null) {
                    NmgCheckpoint.State st = NmgCheckpoint.load(resumeFrom, s.replayCapacity());
                    player.load(st.policies(), "player");
                    opponent.load(st.policies(), "opponent");
                    adam.restore(st.moments(), st.optimizerSteps());
                    memory = st.memory();
                    curve.addAll(st.curve());
                    start = st.episodes();
                    log.println("infuse: resuming after episode " + start + " of " + s.episodes() + " from " + resumeFrom);
                }
                player.parameters().values().forEach(p -> p.setRequiresGradient(true));
                adam.prepare(params.trained());
                episodes(ctx, start, player, opponent, params, adam, memory, curve, identity, out, afterEpisode, agentListeners, log);
                Provenance p = Provenance.of("nmg-policy").input("base_model", job.model()).input("model_fingerprint", lm.fingerprint())
                        .input("domain", job.domain().toString()).input("task_train", job.taskTrain().toString())
                        .input("task_dev", job.taskDev().toString());
                identity.forEach(p::setting);
                p.setting("episodes", Math.max(start, s.episodes()));
                try (StopSignal.Writing w = StopSignal.writing()) {
                    PolicyFiles.save(out, player, p);
                }
            }
        }
    }

    private static void episodes(EpisodeContext ctx, long start, PolicyNet player, PolicyNet opponent, Trainables params, AdamW adam,
            ReplayMemory memory, List<String> curve, Map<String, Object> identity, Path out, LongConsumer afterEpisode,
            List<dev.infuse.train.TrainListener> agentListeners, PrintStream log) {
        NmgSettings s = ctx.settings();
        try (Progress progress = new Progress("nmg train", s.episodes(), "episodes")) {
            progress.resumeAt(Math.min(start, s.episodes()));
            for (long e = start; e < s.episodes(); e++) {
                long done = e;
                StopSignal.check(() -> "after episode " + done + " of " + s.episodes());
                long t0 = System.nanoTime();
                Episode.Outcome o;
                try {
                    o = Episode.run(ctx, e, player, opponent, agentListeners);
                } catch (Stopped stop) {
                    throw new Stopped(stop.signal(), "during episode " + (e + 1) + " of " + s.episodes() + ", whose work is dropped");
                }
                int credited = credit(o, memory);
                opponent.load(player.export(), "player"); // one round behind from here on
                double loss = 0;
                java.util.Random rng = Masker.rngFor(s.seed() + 2, e, 0);
                for (int u = 0; u < s.updates() && memory.size() > 0; u++) {
                    loss += PolicyUpdate.step(player, params, adam, memory, s.replayBatch(), s.policyLr(), rng) / s.updates();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                curve.add(curveLine(e + 1, o, credited, memory.size(), loss, seconds));
                NmgCheckpoint.save(out, new NmgCheckpoint.State(e + 1, NmgCheckpoint.both(player, opponent), NmgCheckpoint.moments(adam),
                        adam.stepCount(), memory, curve), identity);
                dev.infuse.io.AtomicFiles.writeString(out.resolve(NmgCheckpoint.CURVE), NmgCheckpoint.lines(curve));
                log.println(String.format(java.util.Locale.ROOT, "infuse: nmg episode %d/%d: player %.4f, opponent %.4f, random %.4f;"
                        + " %d credited tokens, replay %d, loss %.4f, %.1f s", e + 1, s.episodes(), o.player(), o.opponent(), o.random(),
                        credited, memory.size(), loss, seconds));
                progress.step(1);
                afterEpisode.accept(e + 1);
            }
        }
    }

    /** Puts each text's credited choice into replay, once per comparator; returns the tokens credited. */
    static int credit(Episode.Outcome o, ReplayMemory memory) {
        int tokens = 0;
        for (int i = 0; i < o.playerChoices().size(); i++) {
            NmgMasking.Choice c = o.playerChoices().get(i);
            boolean[] mine = c.flags();
            for (RewardCredit rc : List.of(RewardCredit.of(mine, o.opponentChosen().get(i), o.player(), o.opponent()),
                    RewardCredit.of(mine, o.randomChosen().get(i), o.player(), o.random()))) {
                if (rc.isEmpty()) {
                    continue;
                }
                float[] old = new float[rc.positions().length];
                for (int j = 0; j < old.length; j++) {
                    old[j] = c.logProbs()[rc.positions()[j]];
                }
                memory.add(new Experience(c.state(), c.hidden(), c.maskable(), rc.positions(), old, rc.reward()));
                tokens += old.length;
            }
        }
        return tokens;
    }

    private static String curveLine(long episode, Episode.Outcome o, int credited, int replay, double loss, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episode", episode);
        m.put("player", o.player());
        m.put("opponent", o.opponent());
        m.put("random", o.random());
        m.put("reward_vs_opponent", Math.signum(o.player() - o.opponent()));
        m.put("reward_vs_random", Math.signum(o.player() - o.random()));
        m.put("credited_tokens", credited);
        m.put("replay", replay);
        m.put("loss", loss);
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        return new com.google.gson.Gson().toJson(m);
    }

    /** The corpus as texts of at most --max-seq-length tokens, one pass, at most {@link #MAX_TEXTS}. */
    private static List<TokenInstance> texts(BundleCorpus corpus, MaskedLm lm, NmgSettings s) {
        List<TokenInstance> out = texts(corpus, lm, s.maxSeqLength(), MAX_TEXTS);
        if (out.size() < s.texts()) {
            throw new InfuseException("the corpus of " + corpus.describe() + " has " + out.size() + " texts of at most " + s.maxSeqLength()
                    + " tokens; an episode needs " + s.texts() + " (--steps x --batch-size)");
        }
        return out;
    }

    /** {@code n} of {@code texts} (all if fewer), drawn with {@code seed}, in corpus order. */
    public static List<TokenInstance> draw(List<TokenInstance> texts, int n, long seed) {
        List<TokenInstance> out = new ArrayList<>();
        for (int i : Draws.distinct(texts.size(), n, new java.util.Random(seed))) {
            out.add(texts.get(i));
        }
        return out;
    }

    /** The first {@code limit} texts of the corpus, packed to at most {@code maxLength} tokens, in one pass. */
    public static List<TokenInstance> texts(BundleCorpus corpus, MaskedLm lm, int maxLength, int limit) {
        List<TokenInstance> out = new ArrayList<>();
        try (InstanceStream stream = new InstanceStream(corpus, lm.tokenizer(), maxLength, InstanceStream.Packing.PACKED)) {
            while (out.size() < limit) {
                Instance in = stream.next();
                if (in.epoch() > 0) {
                    break;
                }
                out.add(in.tokens());
            }
        }
        return out;
    }
}
