package dev.infuse.inject.libert;

import dev.infuse.InfuseException;
import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.domain.wordnet.WordNetImport;
import dev.infuse.inject.Objectives;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --method mlm+libert}: WordNet's synonym and hyponym-hypernym pairs of single common words.
 *
 * @param wordnet a WordNet dict/ directory, or null for the built-in WordNet 3.0
 * @param positives related pairs per pair batch (each brings two negatives)
 * @param seed seeds the head and the pair draws
 */
public record LibertSpec(Path wordnet, int positives, long seed) implements Objective.Spec {
    public static final int DEFAULT_POSITIVES = 8;

    public static final Objectives.Type TYPE = new Objectives.Type() {
        @Override
        public Set<String> flags() {
            return Set.of("--wordnet");
        }

        @Override
        public Objective.Spec spec(Objectives.Args a) {
            return new LibertSpec(a.get("--wordnet", Path.class), DEFAULT_POSITIVES, a.get("--seed", Long.class));
        }
    };

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("libert-wordnet", wordnet == null ? "WordNet 3.0 (extjwnl-data-wn30)" : wordnet.toAbsolutePath().normalize().toString());
        m.put("libert-positives", positives);
        return m;
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        WordNet wn = wordnet == null ? WordNet.load() : WordNet.load(wordnet);
        List<String[]> relations = new ArrayList<>();
        for (boolean synonyms : new boolean[] {true, false}) {
            for (List<String> p : WordNetImport.pairs(wn, synonyms)) {
                if (!p.get(0).contains(" ") && !p.get(1).contains(" ")) { // single words: collocations make long, rare rows
                    relations.add(new String[] {p.get(0), p.get(1)});
                }
            }
        }
        if (relations.isEmpty()) {
            throw new InfuseException("libert: WordNet gave no pair of single words");
        }
        log.println("infuse: libert: " + relations.size() + " related pairs of single words; " + positives + " per pair batch, each with 2 negatives");
        return new LibertObjective(relations, lm.tokenizer(), lm.model().config().hiddenSize(), positives, seed);
    }
}
