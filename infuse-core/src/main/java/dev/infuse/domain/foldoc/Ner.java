package dev.infuse.domain.foldoc;

import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Silver NER in CoNLL BIO ({@code token<TAB>label}, blank line between sentences) with FOLDOC
 * categories as labels, from cross-reference markup only. Uses the first paragraph of each entry
 * (its definition) to keep the files small.
 *
 * <p>Split by entity: a sentence goes to the highest of test > dev > train among the splits of every
 * entity mentioned in it (marked up or matched). So a training sentence never mentions a test or dev
 * entity, labelled or not. Sentences without a labelled mention are left out.
 */
final class Ner {
    private Ner() {}

    /**
     * One sentence: its split, CoNLL text, every entity mentioned in it (labelled or not), and the surface
     * text of each labelled mention with its entity id.
     */
    record Sentence(String split, String conll, Set<String> entities, Set<String> labelled, Map<String, String> surfaces) {}

    static Map<String, List<Sentence>> build(FoldocImporter.Result data, Map<String, Entity> byId, Function<String, String> split) {
        Map<String, List<Sentence>> out = new TreeMap<>();
        for (Passage p : data.passages()) {
            if (!p.id().endsWith("#1")) {
                continue;
            }
            String owner = p.id().substring(0, p.id().length() - 2);
            for (int[] s : Sentences.spans(p.text(), p.mentions())) {
                List<Mention> labelled = new ArrayList<>();
                Set<String> splits = new HashSet<>();
                Set<String> entities = new HashSet<>();
                for (Mention m : p.mentions()) {
                    if (m.start() >= s[0] && m.end() <= s[1]) {
                        splits.add(split.apply(m.entity()));
                        entities.add(m.entity());
                        Entity e = byId.get(m.entity());
                        if (data.fromRefs().contains(p.id() + ":" + m.start()) && e != null && !e.type().equals("unknown")) {
                            labelled.add(m);
                        }
                    }
                }
                if (labelled.isEmpty()) {
                    continue;
                }
                String target = splits.contains("test") ? "test" : splits.contains("dev") ? "dev" : "train";
                Set<String> ls = new HashSet<>();
                Map<String, String> surfaces = new TreeMap<>();
                for (Mention m : labelled) {
                    ls.add(m.entity());
                    surfaces.put(p.text().substring(m.start(), m.end()), m.entity());
                }
                out.computeIfAbsent(target, k -> new ArrayList<>())
                        .add(new Sentence(target, conll(p.text(), s, labelled, byId), entities, ls, surfaces));
            }
        }
        return out;
    }

    /** Tokens are runs of letters/digits or single other characters; mention edges always split. */
    static String conll(String text, int[] s, List<Mention> labelled, Map<String, Entity> byId) {
        StringBuilder sb = new StringBuilder();
        int i = s[0];
        while (i < s[1]) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int j = i + 1;
            if (Character.isLetterOrDigit(c)) {
                while (j < s[1] && Character.isLetterOrDigit(text.charAt(j)) && !edge(j, labelled)) {
                    j++;
                }
            }
            String label = "O";
            for (Mention m : labelled) {
                if (i >= m.start() && i < m.end()) {
                    label = (i == m.start() ? "B-" : "I-") + byId.get(m.entity()).type().replace(' ', '_');
                }
            }
            sb.append(text, i, j).append('\t').append(label).append('\n');
            i = j;
        }
        return sb.toString();
    }

    private static boolean edge(int pos, List<Mention> ms) {
        for (Mention m : ms) {
            if (m.start() == pos || m.end() == pos) {
                return true;
            }
        }
        return false;
    }
}
