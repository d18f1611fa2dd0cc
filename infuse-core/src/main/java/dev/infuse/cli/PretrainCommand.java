package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.Objectives;
import dev.infuse.inject.zeo.TemplateCorpus;
import dev.infuse.train.Freeze;
import dev.infuse.train.Objective;
import dev.infuse.train.LrSchedule;
import dev.infuse.train.PretrainJob;
import dev.infuse.train.Pretraining;
import dev.infuse.train.TrainSettings;
import dev.infuse.domain.DomainBundle;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PassageSource;
import dev.infuse.train.data.PlainCorpus;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "pretrain", description = "Continue masked-LM pretraining on domain text; writes a Hugging Face model directory, metrics.jsonl and checkpoint/ into --output-dir.")
final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--corpus", paramLabel = "FILE", description = "Plain text: one passage per line, a blank line between documents.")
        Path corpus;

        @Option(names = "--domain", paramLabel = "DIR", description = "A domain bundle: its corpus, and its mentions for entity masking.")
        Path domain;
    }

    @Option(names = "--masking",
            description = "token, wwm, entity, span, a mix such as wwm=0.5,entity=0.5, or nmg:DIR for a policy from infuse nmg train (default: token; entity with --method zeo).")
    String masking;

    @Option(names = {"--method", "--objective"}, defaultValue = "mlm",
            description = "The objective: mlm, zeo (ZEO's joint objective), sensebert (WordNet supersenses of the masked words), wklm (swapped-entity detection, with --domain), libert (WordNet lexical relations), dea (ERNIE: entity vectors fused into the top layers and predicted back, with --domain and --ernie-embeddings) or kepler (entity embeddings from descriptions scored as TransE over triples), or a weighted sum such as mlm+sensebert:0.5 (default ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    ZeoOptions.Loss zeoLoss;

    @Mixin
    ZeoOptions.Instances zeoInstances;

    @Option(names = "--vectors", paramLabel = "FILE", description = "zeo: knowledge vectors from infuse zeo vectors.")
    Path vectors;

    @Option(names = "--wordnet", paramLabel = "DIR", description = "sensebert: a WordNet 3.0 dict/ directory (default: the built-in WordNet 3.0).")
    Path wordnet;

    @Option(names = "--ernie-embeddings", paramLabel = "DIR", description = "dea: KG vectors from infuse kge train on the bundle's triples.")
    Path ernieEmbeddings;

    @Range(min = 1)
    @Option(names = "--ernie-layers", paramLabel = "K", description = "dea: how many top layers fuse entity vectors (default 6, as ERNIE).")
    Integer ernieLayers;

    @Range(min = 0)
    @Option(names = "--ernie-entity-heads", paramLabel = "H", description = "dea: heads of a self-attention over the text's entities in each fusion layer, as ERNIE's aggregator has (ERNIE: 4); must divide the KG vectors' size (default 0: none).")
    Integer ernieEntityHeads;

    @Mixin
    KeplerOptions kepler;

    @Option(names = "--mlm-probability", defaultValue = "0.15", description = "Share of tokens to predict (default ${DEFAULT-VALUE}; 0.05 with wklm).")
    double mlmProbability;

    @Option(names = "--packing", defaultValue = "packed",
            description = "packed (consecutive whole passages of a document), fill (the same, cutting the last passage at a word so every instance is full to its last word), full (cutting at the exact token, inside a word if need be, so instances are exactly full and need no padding mask) or line (one passage each); default ${DEFAULT-VALUE}.")
    String packing;

    @Range(min = 1)
    @Option(names = "--max-steps", required = true, description = "Optimizer steps to train.")
    int maxSteps;

    @Mixin
    RunDirOptions run;

    @Range(min = 1)
    @Option(names = "--batch-size", defaultValue = "8", description = "Instances per micro-batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Range(min = 3)
    @Option(names = "--max-seq-length", defaultValue = "128", description = "Tokens per instance, specials included (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Range(min = 0)
    @Option(names = "--warmup", description = "Warm-up steps (default: 10%% of --max-steps).")
    Integer warmup;

    @Option(names = "--schedule", defaultValue = "linear", description = "linear, cosine or constant decay after warm-up, or step (a tenth of the rate after half the steps; default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip", defaultValue = "1.0", description = "Largest global gradient norm; 0 turns clipping off (default ${DEFAULT-VALUE}).")
    float clip;

    @Range(min = 1)
    @Option(names = "--accumulate", defaultValue = "1", description = "Micro-batches per optimizer step (default ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled AdamW weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Range(min = 0)
    @Option(names = "--train-top-layers", paramLabel = "K", defaultValue = "0", description = "Train only the top K encoder layers and the MLM head.")
    int topLayers;

    @Option(names = "--train-embeddings-only", description = "Train only the embeddings.")
    boolean embeddingsOnly;

    @Range(min = 0)
    @Option(names = "--save-every", defaultValue = "500", description = "Steps between checkpoints; 0 saves only at the end (default ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--new-token-lr-scale", paramLabel = "S",
            description = "For a model from infuse vocab extend: its new rows (word embeddings, shared by the MLM decoder, and MLM bias) train at S times --lr; "
                    + "they train even where the freezing keeps the old rows fixed (default: off, the new rows train as the old ones).")
    Float newTokenLrScale;

    @Mixin
    AdapterOptions adapter;

    @Mixin
    SeedOption seed;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Objective.Spec objective = objective();
        double rate = !spec.commandLine().getParseResult().hasMatchedOption("--mlm-probability") && objective.defaultMlmProbability() != null
                ? objective.defaultMlmProbability() : mlmProbability;
        TrainSettings settings = new TrainSettings(batchSize, maxSeqLength, lr, warmup != null ? warmup : maxSteps / 10,
                LrSchedule.Kind.parse(schedule), clip, accumulate, adapter.freeze(new Freeze(topLayers, embeddingsOnly)), saveEvery, maxSteps, seed.value,
                weightDecay, rate);
        String m = masking != null ? masking : objective.defaultMasking();
        PassageSource corpus = source();
        if (zeoInstances.templates != null) {
            if (input.domain == null) { // the objective's flags were checked: only one that reads templates got here
                throw new InfuseException("--templates needs --domain: its sentences come from the bundle's types and triples");
            }
            corpus = new TemplateCorpus(corpus, DomainBundle.open(input.domain), zeoInstances.templates, seed.value);
        }
        Path outputDir = run.dir;
        dev.infuse.train.HookSpec hook = adapter.hook();
        Path policy = NmgOption.policy(m);
        PretrainJob job = new PretrainJob(model.name, corpus, policy != null ? "nmg" : m, packing(), settings, outputDir, run.resume,
                run.overwrite, objective, hook == null ? List.of() : List.of(hook));
        if (policy != null) {
            job = job.withModelMasking(new dev.infuse.inject.nmg.NmgMaskingSpec(policy));
        }
        if (newTokenLrScale != null) {
            job = job.withNewTokenLrScale(newTokenLrScale);
        }
        long steps = Pretraining.run(job, List.of(), System.err);
        if (json.requested) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("output_dir", outputDir.toString());
            o.put("steps", steps);
            Json.print(o);
        } else {
            System.err.println("infuse: wrote " + outputDir);
        }
        return 0;
    }

    /** The objective by its registered name, from every objective flag this command has; see {@link Objectives}. */
    private Objective.Spec objective() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("--inject", zeoLoss.inject);
        values.put("--contrastive-weight", zeoLoss.weight);
        values.put("--neg-entity", zeoInstances.negEntity);
        values.put("--vectors", vectors);
        values.put("--templates", zeoInstances.templates);
        values.put("--wordnet", wordnet);
        values.put("--ernie-embeddings", ernieEmbeddings);
        values.put("--ernie-layers", ernieLayers);
        values.put("--ernie-entity-heads", ernieEntityHeads);
        kepler.putInto(values);
        values.put("--seed", seed.value);
        Set<String> given = new HashSet<>();
        ParseResult parsed = spec.commandLine().getParseResult();
        values.keySet().stream().filter(parsed::hasMatchedOption).forEach(given::add);
        return Objectives.get(method, new Objectives.Args(input.domain, values, given));
    }

    private PassageSource source() {
        return input.domain != null ? new BundleCorpus(DomainBundle.open(input.domain)) : new PlainCorpus(input.corpus);
    }

    private InstanceStream.Packing packing() {
        for (InstanceStream.Packing p : InstanceStream.Packing.values()) {
            if (p.name().equalsIgnoreCase(packing)) {
                return p;
            }
        }
        throw new InfuseException("unknown --packing \"" + packing + "\": expected packed, fill, full or line");
    }
}
