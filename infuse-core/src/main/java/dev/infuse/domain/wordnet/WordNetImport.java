package dev.infuse.domain.wordnet;

import dev.infuse.domain.BundleWriter;
import dev.infuse.io.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code infuse domain import wordnet}: WordNet's lexical knowledge as three files.
 * <ul>
 *   <li>{@value #SUPERSENSES}: {@code word<TAB>supersense,supersense,...}, every lemma's allowed supersenses
 *       (the lexicographer files of the synsets that hold it), for SenseBERT;</li>
 *   <li>{@value #RELATIONS}: {@code word<TAB>word<TAB>synonym|hypernym}, synonyms within a synset and
 *       hyponym-hypernym pairs between common nouns and between verbs, for LIBERT;</li>
 *   <li>{@value #GRAPH}: the same pairs as a K-BERT graph, {@code word<TAB>is a<TAB>hypernym} and
 *       {@code word<TAB>means<TAB>synonym}, an English graph K-BERT's own repository does not ship.</li>
 * </ul>
 * Only common words take part: a lemma WordNet writes with a capital is a name, and instance-of links
 * (Paris is an instance of city) are left out, since the objectives are about lexical knowledge.
 */
public final class WordNetImport {
    public static final String SUPERSENSES = "supersenses.tsv";
    public static final String RELATIONS = "lexical_relations.tsv";
    public static final String GRAPH = "wordnet.spo";

    public record Summary(int words, int synonymPairs, int hypernymPairs) {}

    private WordNetImport() {}

    public static Summary write(WordNet wn, Path out) {
        Map<String, Set<String>> senses = new TreeMap<>();
        for (char pos : WordNet.POS) {
            for (Synset s : wn.synsets(pos)) {
                for (String l : s.lemmas()) {
                    if (Synset.common(l)) {
                        senses.computeIfAbsent(l.toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(s.supersense());
                    }
                }
            }
        }
        Set<List<String>> synonyms = pairs(wn, true);
        Set<List<String>> hypernyms = pairs(wn, false);
        BundleWriter.writeLines(out.resolve(SUPERSENSES), senses.entrySet().iterator(), e -> e.getKey() + "\t" + String.join(",", e.getValue()));
        List<String> relations = new ArrayList<>();
        List<String> graph = new ArrayList<>();
        synonyms.forEach(p -> {
            relations.add(p.get(0) + "\t" + p.get(1) + "\tsynonym");
            graph.add(p.get(0) + "\tmeans\t" + p.get(1));
        });
        hypernyms.forEach(p -> {
            relations.add(p.get(0) + "\t" + p.get(1) + "\thypernym");
            graph.add(p.get(0) + "\tis a\t" + p.get(1));
        });
        BundleWriter.writeLines(out.resolve(RELATIONS), relations.iterator(), r -> r);
        BundleWriter.writeLines(out.resolve(GRAPH), graph.iterator(), r -> r);
        Provenance.of("wordnet-import").input("wordnet", wn.source()).setting("words", senses.size()).setting("synonym_pairs", synonyms.size())
                .setting("hypernym_pairs", hypernyms.size()).write(out.resolve("provenance.json"));
        return new Summary(senses.size(), synonyms.size(), hypernyms.size());
    }

    /**
     * Synonym pairs within a synset ({@code synonyms}), or hyponym-hypernym pairs between a synset and each of its
     * direct hypernyms, over the common words of noun and verb synsets, each pair once, in file order.
     */
    public static Set<List<String>> pairs(WordNet wn, boolean synonyms) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (char pos : List.of('n', 'v')) {
            for (Synset s : wn.synsets(pos)) {
                List<String> words = common(s);
                if (synonyms) {
                    for (int i = 0; i < words.size(); i++) {
                        for (int j = i + 1; j < words.size(); j++) {
                            out.add(List.of(words.get(i), words.get(j)));
                        }
                    }
                    continue;
                }
                for (String h : s.hypernyms()) {
                    for (String up : common(wn.synset(pos, h))) {
                        words.stream().filter(w -> !w.equals(up)).forEach(w -> out.add(List.of(w, up)));
                    }
                }
            }
        }
        return out;
    }

    /** The synset's common words, lower-cased, each once. */
    private static List<String> common(Synset s) {
        return s.lemmas().stream().filter(Synset::common).map(l -> l.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
