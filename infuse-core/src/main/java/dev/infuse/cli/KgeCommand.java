package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.kge.KgIds;
import dev.infuse.kge.KgeConfig;
import dev.infuse.kge.KgeSettings;
import dev.infuse.kge.KgeTable;
import dev.infuse.kge.KgeTraining;
import dev.infuse.kge.KnownTriples;
import dev.infuse.kge.LinkPrediction;
import dev.infuse.kge.TripleFile;
import dev.infuse.kge.Triples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kge", description = "Knowledge-graph embeddings: TransE, DistMult and RotatE, trained on triples and evaluated by filtered link prediction.",
        subcommands = {KgeCommand.Train.class, KgeCommand.Eval.class})
final class KgeCommand extends GroupCommand {

    @Command(name = "train", description = "Train entity and relation embeddings; writes embeddings.safetensors, config.json, provenance.json, metrics.jsonl (and valid_scores.jsonl with --valid) into --output. Defaults per model reach the published WN18RR numbers on 2 cores (TransE, RotatE) or are the RotatE reference's (DistMult).")
    static final class Train implements Callable<Integer> {
        @Mixin
        ThreadsOption threads;

        @Option(names = "--train", required = true, paramLabel = "FILE", description = "head<TAB>relation<TAB>tail lines (gzipped or not), or a domain bundle directory.")
        Path train;

        @Option(names = "--valid", paramLabel = "FILE", description = "Triples for filtered MRR during training (every --valid-every steps and at the end).")
        Path valid;

        @Option(names = "--entities", paramLabel = "FILE", description = "Entity ids fixing the table's rows (one a line, or index<TAB>id as in entities.dict); lets entities seen only in test have a row.")
        Path entities;

        @Option(names = "--relations", paramLabel = "FILE", description = "Relation ids, likewise.")
        Path relations;

        @Option(names = "--model", required = true, description = "transe, distmult or rotate.")
        String model;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The run's directory.")
        Path output;

        @Option(names = "--resume", description = "Continue the run in --output from its last checkpoint.")
        boolean resume;

        @Option(names = "--overwrite", description = "Replace a run already in --output.")
        boolean overwrite;

        @Range(min = 1, max = 2)
        @Option(names = "--norm", description = "TransE's distance: 1 or 2 (default 1).")
        Integer norm;

        @Range(min = 1)
        @Option(names = "--dimension", description = "Embedding size; complex numbers for RotatE (default TransE 200, RotatE 250, DistMult 1000).")
        Integer dimension;

        @Range(min = 1)
        @Option(names = "--negatives", description = "Negatives per triple (default 256; DistMult 1024).")
        Integer negatives;

        @Range(min = 1)
        @Option(names = "--batch-size", description = "Triples per batch (default 512).")
        Integer batchSize;

        @Option(names = "--gamma", description = "Margin (default 6; DistMult 0).")
        Float gamma;

        @Option(names = "--alpha", description = "Self-adversarial temperature; 0 weighs negatives uniformly (default 0.5; DistMult 1).")
        Float alpha;

        @Option(names = "--lr", description = "Adam's learning rate, a tenth of it after half the steps (default 1e-3 TransE, 5e-4 RotatE, 0.002 DistMult).")
        Float lr;

        @Range(min = 1)
        @Option(names = "--steps", description = "Training steps (default 20000; DistMult 80000).")
        Integer steps;

        @Option(names = "--weighting", defaultValue = "subsampling", description = "subsampling (RotatE's reference) or uniform (default ${DEFAULT-VALUE}).")
        String weighting;

        @Option(names = "--l3", description = "L3 regulariser weight (default 0; DistMult 1e-5).")
        Float l3;

        @Option(names = "--init-range", description = "Uniform initialisation bound (default (gamma + 2) / dimension; DistMult 202 / dimension).")
        Float initRange;

        @Range(min = 0)
        @Option(names = "--save-every", defaultValue = "1000", description = "Steps between checkpoints; 0 saves only at the end or when stopped (default ${DEFAULT-VALUE}).")
        int saveEvery;

        @Range(min = 0)
        @Option(names = "--valid-every", defaultValue = "10000", description = "Steps between evaluations on --valid; 0 only at the end (default ${DEFAULT-VALUE}).")
        int validEvery;

        @Range(min = 0)
        @Option(names = "--micro-batch", defaultValue = "0", description = "Triples per micro-batch, accumulated into one step; 0 sizes them so no tensor passes 256 MB (default ${DEFAULT-VALUE}).")
        int microBatch;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() {
            KgeConfig.Model m = KgeConfig.Model.parse(model);
            KgeSettings d = KgeSettings.defaults(m, seed.value);
            if (norm != null && m != KgeConfig.Model.TRANSE) {
                throw new InfuseException("--norm is TransE's; " + m.id() + " has its own distance");
            }
            boolean subsampling = switch (weighting.toLowerCase(Locale.ROOT)) {
                case "subsampling" -> true;
                case "uniform" -> false;
                default -> throw new InfuseException("unknown --weighting \"" + weighting + "\": expected subsampling or uniform");
            };
            int dim = dimension != null ? dimension : d.dimension();
            float g = gamma != null ? gamma : d.gamma();
            float range = initRange != null ? initRange : KgeSettings.initRange(m, m == KgeConfig.Model.DISTMULT ? 200f : g, dim);
            KgeSettings s = new KgeSettings(m, norm != null ? norm : d.norm(), dim, batchSize != null ? batchSize : d.batchSize(),
                    negatives != null ? negatives : d.negatives(), g, alpha != null ? alpha : d.alpha(), lr != null ? lr : d.lr(),
                    steps != null ? steps : d.steps(), seed.value, subsampling, l3 != null ? l3 : d.l3(), range, saveEvery, validEvery, microBatch);
            // A bundle directory is read for its triples.tsv; any other input may be a pipe, copied once.
            Path trainFile = java.nio.file.Files.isDirectory(train) ? train : InputFiles.readable("--train", train);
            KgeTraining.run(new KgeTraining.Job(trainFile, valid == null ? null : InputFiles.readable("--valid", valid),
                    entities == null ? null : InputFiles.readable("--entities", entities),
                    relations == null ? null : InputFiles.readable("--relations", relations), s, output, resume, overwrite), List.of(), System.err);
            System.err.println("infuse: wrote " + output);
            return 0;
        }
    }

    @Command(name = "eval", description = "Filtered link prediction: rank each test triple's tail among all entities, and its head, skipping every other triple of the --known files; MRR, MR and Hits@1/3/10 over both directions.")
    static final class Eval implements Callable<Integer> {
        @Mixin
        ThreadsOption threads;

        @Option(names = "--embeddings", required = true, paramLabel = "DIR", description = "The --output of infuse kge train.")
        Path embeddings;

        @Option(names = "--test", required = true, paramLabel = "FILE", description = "Triples to rank.")
        Path test;

        @Option(names = "--known", required = true, arity = "1..*", paramLabel = "FILE", description = "Triples to filter (usually train, valid and test).")
        List<Path> known;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            List<TripleFile.Row> testRows = TripleFile.read(InputFiles.readable("--test", test));
            List<List<TripleFile.Row>> knownRows = new ArrayList<>();
            for (Path k : known) {
                knownRows.add(TripleFile.read(InputFiles.readable("--known", k)));
            }
            KgeTable.Loaded t = KgeTable.read(embeddings);
            try (var model = t.model()) {
                KgIds ids = t.ids();
                Triples triples = ids.index(testRows, "the embeddings in " + embeddings + " have no row for it");
                List<Triples> all = new ArrayList<>();
                all.add(triples); // a test triple is known even if no --known file lists it
                knownRows.forEach(rows -> all.add(ids.indexKnown(rows)));
                KnownTriples filter = new KnownTriples(Triples.concat(all.toArray(Triples[]::new)), ids.relations().size());
                LinkPrediction.Metrics m = LinkPrediction.evaluate(model, triples, filter, "kge eval", true);
                if (json.requested) {
                    Json.print(m.toMap());
                } else {
                    System.out.printf(Locale.ROOT, "%s on %s (%d rankings, filtered, both directions)%n", model.config().model().id(), test, m.rankings());
                    System.out.printf(Locale.ROOT, "MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f%n", m.mrr(), m.mr(), m.hits1(), m.hits3(),
                            m.hits10());
                }
            }
            return 0;
        }
    }
}
