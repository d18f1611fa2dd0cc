package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.vocab.VocabChoice;
import dev.infuse.inject.vocab.VocabExtension;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.PassageSource;
import dev.infuse.train.data.PlainCorpus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infuse vocab ...}: a domain's vocabulary. */
@Command(name = "vocab", description = "A domain vocabulary: add a domain's most fragmented words to a model's WordPiece vocabulary.",
        subcommands = VocabCommand.Extend.class)
final class VocabCommand extends GroupCommand {

    @Command(name = "extend", description = "Add the domain's most fragmented words (pieces x corpus count, entity names first) to the vocabulary; "
            + "each new row starts as the mean of the word's old pieces. Writes a Hugging Face model with vocab_extension.json and provenance.json into --output.")
    static final class Extend implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Mixin
        ModelOption model;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        static final class Input {
            @Option(names = "--corpus", paramLabel = "FILE", description = "Plain text: one passage per line.")
            Path corpus;

            @Option(names = "--domain", paramLabel = "DIR", description = "A domain bundle: its corpus, and its entities' names and aliases, whose split words come first.")
            Path domain;
        }

        @Range(min = 1)
        @Option(names = "--max-new", required = true, paramLabel = "N", description = "The most words to add.")
        int maxNew;

        @Range(min = 1)
        @Option(names = "--min-count", paramLabel = "C", defaultValue = "3", description = "Fewest corpus occurrences of a word that is not an entity's (default ${DEFAULT-VALUE}).")
        int minCount;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The extended model's directory (new or empty).")
        Path output;

        @Option(names = "--overwrite", description = "Replace an extended model already in --output.")
        boolean overwrite;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            VocabChoice.Settings settings = new VocabChoice.Settings(maxNew, minCount);
            VocabExtension.checkOutput(output, overwrite, null); // before the model loads; the model directory itself is checked once resolved
            DomainBundle bundle = input.domain != null ? DomainBundle.open(input.domain) : null;
            PassageSource corpus = bundle != null ? new BundleCorpus(bundle) : new PlainCorpus(InputFiles.readable("--corpus", input.corpus));
            VocabExtension.Result r = VocabExtension.run(new VocabExtension.Job(model.name, corpus, bundle, settings, output, overwrite), System.err);
            long fromEntities = r.added().stream().filter(VocabChoice.Word::entity).count();
            if (json.requested) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("output", output.toString());
                o.put("added", r.added().size());
                o.put("added_from_entities", fromEntities);
                o.put("first_new_id", r.firstId());
                o.put("corpus_pieces_per_word", List.of(r.corpusBefore().perWord(), r.corpusAfter().perWord()));
                if (bundle != null) {
                    o.put("entity_names_pieces_per_word", List.of(r.namesBefore().perWord(), r.namesAfter().perWord()));
                    o.put("rare_entities", r.rareEntities());
                    o.put("rare_names_pieces_per_word", List.of(r.rareBefore().perWord(), r.rareAfter().perWord()));
                }
                Json.print(o);
                return 0;
            }
            System.err.printf(Locale.ROOT, "infuse: added %d words (%d from entity names), ids %d to %d%n", r.added().size(), fromEntities, r.firstId(),
                    r.firstId() + r.added().size() - 1);
            System.err.printf(Locale.ROOT, "infuse: corpus pieces per word %.4f -> %.4f (%,d words)%n", r.corpusBefore().perWord(), r.corpusAfter().perWord(),
                    r.corpusBefore().words());
            if (bundle != null) {
                System.err.printf(Locale.ROOT, "infuse: entity names pieces per word %.4f -> %.4f (%,d words)%n", r.namesBefore().perWord(),
                        r.namesAfter().perWord(), r.namesBefore().words());
                System.err.printf(Locale.ROOT, "infuse: rare entities' names (%,d: several pieces, at most %d mentions) pieces per word %.4f -> %.4f%n",
                        r.rareEntities(), VocabExtension.RARE_MAX_MENTIONS, r.rareBefore().perWord(), r.rareAfter().perWord());
            }
            System.err.println("infuse: wrote " + output);
            return 0;
        }
    }
}
