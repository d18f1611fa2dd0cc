package dev.infuse.bench.methods;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.nmg.NmgMaskingSpec;
import dev.infuse.inject.nmg.NmgSettings;
import dev.infuse.inject.nmg.NmgTrainJob;
import dev.infuse.inject.nmg.NmgTraining;
import dev.infuse.inject.nmg.PolicyConfig;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code nmg}: trains a masking policy on the comparison's typing task (its train split for the probe, dev for the
 * score), then continues pretraining with it under the comparison's budget, like {@code token-mask}. The episodes
 * are as many as make the agents' own pretraining steps (three agents, four steps each) about the comparison's
 * pretraining steps, at least one; the probes the episodes score with come on top, and the method's inject time
 * counts them.
 * Both halves resume after a kill: the policy from its episode checkpoint, pretraining from its own.
 */
final class NmgInjection implements InjectionMethod {
    static final String TASK = "typing";

    @Override
    public String model(String base, Path dir) {
        return dir.resolve("model").toString();
    }

    @Override
    public void inject(InjectionJob job) {
        Path policy = job.dir().resolve("policy");
        if (!Files.exists(policy.resolve(PolicyConfig.FILE))) {
            NmgSettings s = settings(job.pretraining());
            NmgTraining.run(new NmgTrainJob(job.base(), job.domain(), TASK, split(job.tasks(), "train"), split(job.tasks(), "dev"), s, policy,
                    InjectionJob.hasCheckpoint(policy), false), job.log());
        }
        Path model = job.dir().resolve("model");
        Pretraining.run(new PretrainJob(job.base(), new BundleCorpus(DomainBundle.open(job.domain())), "nmg", InstanceStream.Packing.PACKED,
                job.pretraining(), model, InjectionJob.hasCheckpoint(model), false).withModelMasking(new NmgMaskingSpec(policy)), List.of(),
                job.log());
    }

    /**
     * NMG's defaults where they are its own (4 steps an episode, 200 + 200 task examples, 10 updates of 16 from a replay
     * of 512), the comparison's batch, learning rate and layers where the agents pretrain as the other methods do, and
     * texts of at most 64 tokens (fewer if the comparison's are shorter) to keep the replayed states small.
     */
    static NmgSettings settings(dev.infuse.train.TrainSettings t) {
        NmgSettings d = NmgSettings.defaults(1, t.seed());
        int episodes = Math.max(1, t.maxSteps() / (3 * d.steps()));
        return new NmgSettings(episodes, d.steps(), t.batchSize(), Math.min(d.maxSeqLength(), t.maxSeqLength()),
                Math.max(1, t.freeze().topLayers()), t.lr(), d.taskTrain(), d.taskDev(), d.updates(), d.replayBatch(), d.replayCapacity(),
                d.policyLr(), t.seed());
    }

    private static Path split(Path tasks, String split) {
        for (String name : List.of(split + ".jsonl", split + ".jsonl.gz")) {
            Path p = tasks.resolve(TASK).resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InfuseException("nmg learns its policy from the typing task, and " + tasks.resolve(TASK) + " has no " + split + ".jsonl");
    }
}
