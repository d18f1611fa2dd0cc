package dev.infuse.inject.nmg;

import dev.infuse.mask.Masker;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.task.FrozenFeatures;
import dev.infuse.task.LinearProbe;
import dev.infuse.task.TaskHead;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.Transfer;
import dev.infuse.train.AdamW;
import dev.infuse.train.Freeze;
import dev.infuse.train.LoopSettings;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.ModelMasking;
import dev.infuse.train.Objective;
import dev.infuse.train.TrainListener;
import dev.infuse.train.Trainables;
import dev.infuse.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * One meta-training episode: draw texts and task examples; three agents (random, the opponent, the player)
 * each further pretrain a fresh copy of the model with their own masks; score each copy by a linear probe on
 * the drawn dev examples. Everything an agent does is seeded by (seed, episode), and the agents share their
 * replacement draws, dropout and probe seed, so their scores differ only through what they chose to mask.
 */
final class Episode {
    /** Dev scores of the three copies, and what each agent chose, text by text. */
    record Outcome(double random, double opponent, double player, List<NmgMasking.Choice> playerChoices, List<boolean[]> opponentChosen,
            List<boolean[]> randomChosen) {}

    private Episode() {}

    /** @param listeners given to each agent's training loop (tests stop a run inside an episode with one) */
    static Outcome run(EpisodeContext ctx, long episode, PolicyNet player, PolicyNet opponent, List<TrainListener> listeners) {
        NmgSettings s = ctx.settings();
        long seed = Masker.rngFor(s.seed(), episode, 0).nextLong();
        java.util.Random draw = new java.util.Random(seed);
        List<TokenInstance> texts = new ArrayList<>();
        for (int i : Draws.distinct(ctx.corpus().size(), s.texts(), draw)) {
            texts.add(ctx.corpus().get(i));
        }
        TaskSet train = TaskSample.draw(ctx.train(), s.taskTrain(), draw);
        TaskSet dev = TaskSample.draw(ctx.dev(), s.taskDev(), draw);

        RandomAgentMasking random = new RandomAgentMasking(ctx.policy());
        NmgMasking opp = NmgMasking.learning(opponent);
        NmgMasking play = NmgMasking.learning(player);
        double r = agent(ctx, "random", random, 1, texts, train, dev, seed, episode, listeners);
        double o = agent(ctx, "opponent", opp, 2, texts, train, dev, seed, episode, listeners);
        double p = agent(ctx, "player", play, 3, texts, train, dev, seed, episode, listeners);
        return new Outcome(r, o, p, play.choices(), opp.choices().stream().map(NmgMasking.Choice::flags).toList(), random.chosen());
    }

    /** Further pretrains a fresh copy of the model with {@code chooser}'s masks, then scores it. */
    private static double agent(EpisodeContext ctx, String name, ModelMasking chooser, int salt, List<TokenInstance> texts, TaskSet train,
            TaskSet dev, long seed, long episode, List<TrainListener> listeners) {
        NmgSettings s = ctx.settings();
        BertModel copy = BertModel.load(ctx.config(), ctx.baseWeights(), "nmg episode " + episode + " " + name);
        try {
            LoopSettings loop = new LoopSettings(s.steps(), s.lmLr(), 0, LrSchedule.Kind.CONSTANT, 1f, 1, 0.01f, seed);
            Trainables params = new Trainables().encoder(copy, new Freeze(s.topLayers(), false).trainable(ctx.config())::contains);
            try (AdamW adam = new AdamW(loop.optimizer());
                    EpisodeBatches data = new EpisodeBatches(texts, s.batchSize(), chooser, copy, ctx.masker(), seed, seed + salt,
                            ctx.tokenizer().padId())) {
                new Trainer<>(params, Objective.mlm().on(copy), data, loop, adam, listeners).run(0);
            }
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return score(ctx, copy, name, train, dev, seed);
    }

    /** The linear probe's best dev score on the copy's frozen features; closes the copy. */
    private static double score(EpisodeContext ctx, BertModel copy, String name, TaskSet train, TaskSet dev, long seed) {
        int hidden = ctx.config().hiddenSize();
        int groups = Tasks.groups(ctx.task());
        TaskHead shape = TaskHead.random(hidden, ctx.config().numHiddenLayers(), groups, ctx.labels().size(), Transfer.TOP, 0);
        try (TaskModel m = new TaskModel(new MaskedLm(copy, ctx.tokenizer(), "nmg " + name), shape, ctx.task(), ctx.labels(), Transfer.TOP,
                ctx.taskLength())) {
            FrozenFeatures ftrain = FrozenFeatures.extract(m, train, 32, "nmg " + name + " train");
            FrozenFeatures fdev = FrozenFeatures.extract(m, dev, 32, "nmg " + name + " dev");
            return LinearProbe.run(ftrain, fdev, dev, fdev, dev, ctx.labels(), Transfer.TOP, groups, LinearProbe.Options.defaults(), seed)
                    .dev().primary();
        }
    }
}
