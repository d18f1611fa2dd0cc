package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.zeo.InstanceDump;
import dev.infuse.inject.zeo.KnowledgeVectors;
import dev.infuse.inject.zeo.TemplateCorpus;
import dev.infuse.model.ModelStore;
import dev.infuse.text.Tokenizer;
import dev.infuse.text.Tokenizers;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.PassageSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "instances", description = "Write ZEO training instances (windows, linked mentions, negatives) as jsonl for inspection.")
final class ZeoInstancesCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    DomainOption domain;

    @Option(names = "--vectors", required = true, paramLabel = "FILE", description = "Knowledge vectors: which entities link, and their types.")
    Path vectors;

    @Mixin
    ZeoOptions.Instances zeoInstances;

    @Range(min = 3)
    @Option(names = "--max-seq-length", defaultValue = "128", description = "Window length with [CLS] and [SEP] (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Mixin
    SeedOption seed;

    @Range(min = 1)
    @Option(names = "--limit", defaultValue = "1000", description = "Windows at most (default ${DEFAULT-VALUE}).")
    long limit;

    @Option(names = "--dump", required = true, paramLabel = "FILE", description = "The jsonl file to write.")
    Path dump;

    @Override
    public Integer call() {
        if (zeoInstances.negEntity < 0) {
            throw new dev.infuse.InfuseException("--neg-entity must be 0 or more, found " + zeoInstances.negEntity);
        }
        DomainBundle bundle = DomainBundle.open(domain.dir);
        PassageSource corpus = new BundleCorpus(bundle);
        if (zeoInstances.templates != null) {
            corpus = new TemplateCorpus(corpus, bundle, zeoInstances.templates, seed.value);
        }
        KnowledgeVectors v = KnowledgeVectors.read(vectors);
        try (Tokenizer tok = Tokenizers.load(ModelStore.resolve(model.name))) {
            InstanceDump.Report r = InstanceDump.write(corpus, tok, v, zeoInstances.negEntity, maxSeqLength, seed.value, limit, dump);
            System.err.printf("wrote %s: %d windows, %d linked mentions%n", dump, r.windows(), r.mentions());
        }
        return 0;
    }
}
