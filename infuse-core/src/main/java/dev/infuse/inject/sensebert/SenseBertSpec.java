package dev.infuse.inject.sensebert;

import dev.infuse.InfuseException;
import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.inject.Objectives;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --method sensebert} (or {@code mlm+sensebert:W}): WordNet from Maven Central, or from {@code --wordnet DIR}.
 *
 * @param wordnet a WordNet dict/ directory, or null for the built-in WordNet 3.0
 * @param seed seeds the head's initial weights
 */
public record SenseBertSpec(Path wordnet, long seed) implements Objective.Spec {
    public static final Objectives.Type TYPE = new Objectives.Type() {
        @Override
        public Set<String> flags() {
            return Set.of("--wordnet");
        }

        @Override
        public Objective.Spec spec(Objectives.Args a) {
            return new SenseBertSpec(a.get("--wordnet", Path.class), a.get("--seed", Long.class));
        }
    };

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sensebert-wordnet", wordnet == null ? "WordNet 3.0 (extjwnl-data-wn30)" : wordnet.toAbsolutePath().normalize().toString());
        return m;
    }

    /** SenseBERT masks whole words: a word split into pieces has no sense of its own to score. */
    @Override
    public String defaultMasking() {
        return "wwm";
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        WordNet wn = wordnet == null ? WordNet.load() : WordNet.load(wordnet);
        VocabSenses vocab = VocabSenses.of(lm.tokenizer(), wn);
        if (vocab.scoredEntries() == 0) {
            throw new InfuseException("sensebert: no word of " + lm.source() + "'s vocabulary has a WordNet sense; the objective would score nothing");
        }
        log.println("infuse: sensebert: " + vocab.scoredEntries() + " of " + lm.tokenizer().vocabSize() + " vocabulary entries are words with "
                + "WordNet supersenses (" + vocab.senses() + ")");
        return new SenseBertObjective(vocab, lm.model().config().hiddenSize(), seed);
    }
}
