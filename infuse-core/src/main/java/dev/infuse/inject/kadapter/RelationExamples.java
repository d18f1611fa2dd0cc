package dev.infuse.inject.kadapter;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Triple;
import dev.infuse.task.relation.RelationExample;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.PassageSource;
import dev.infuse.train.data.TextPassage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * K-Adapter's pretraining data from a domain bundle, as T-REx-rc is made from Wikipedia: every corpus sentence that
 * mentions both the head and the tail of a triple (the bundle's linked mentions, or its entity names matched by the
 * mention matcher when the corpus links none) is one example of that triple's relation, head and tail marked by their
 * first mention in the sentence. Labels with fewer than {@code minExamples} sentences are dropped.
 */
public final class RelationExamples {
    /** What a sentence's pair is labelled with. */
    public enum Label {
        /** The triple's relation, as the paper. */
        RELATION("relation"),
        /** The relation and the tail entity's type ("see_also:language"), for bundles with too few relations. */
        RELATION_TAIL_TYPE("relation+tail-type");

        public final String flag;

        Label(String flag) {
            this.flag = flag;
        }

        public static Label parse(String s) {
            for (Label l : values()) {
                if (l.flag.equals(s)) {
                    return l;
                }
            }
            throw new InfuseException("unknown --labels \"" + s + "\": expected relation or relation+tail-type");
        }
    }

    /**
     * @param kept examples per label kept, most first
     * @param dropped examples per label dropped for having fewer than the minimum
     * @param sentences sentences read
     */
    public record Built(List<RelationExample> train, List<RelationExample> dev, Map<String, Integer> kept, Map<String, Integer> dropped,
            long sentences) {
        /** "25,888 examples from 47,036 sentences: 71 labels kept, 31 with fewer than 10 examples dropped (118 examples)". */
        public String summary(int minExamples) {
            int droppedExamples = dropped.values().stream().mapToInt(Integer::intValue).sum();
            return String.format(Locale.ROOT, "%,d examples from %,d sentences: %d labels kept, %d with fewer than %d examples dropped (%,d examples)",
                    train.size() + dev.size(), sentences, kept.size(), dropped.size(), minExamples, droppedExamples);
        }
    }

    /** Where a sentence ends: a final mark before white space and a capital, a digit, a quote or a bracket. */
    private static final Pattern END = Pattern.compile("[.!?](?=\\s+[\\p{Lu}\\p{N}\"'(])");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private RelationExamples() {}

    /**
     * The examples of {@code bundle}, shuffled by {@code seed}; a tenth of them, at most {@code devMax}, held out as dev.
     * A bundle where no sentence mentions both ends of a triple, or where fewer than two labels keep enough sentences,
     * is one error line.
     */
    public static Built build(DomainBundle bundle, Label label, int minExamples, int devMax, long seed) {
        Collected c = collect(bundle, label);
        List<RelationExample> examples = c.examples();
        Map<String, Integer> counts = new TreeMap<>();
        examples.forEach(x -> counts.merge(x.relation(), 1, Integer::sum));
        Map<String, Integer> kept = new LinkedHashMap<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> (e.getValue() >= minExamples ? kept : dropped).put(e.getKey(), e.getValue()));
        if (kept.size() < 2) {
            throw new InfuseException(bundle.dir() + ": only " + kept.size() + " label" + (kept.size() == 1 ? "" : "s") + " (" + String.join(", ",
                    kept.keySet()) + ") of --labels " + label.flag + " keep at least " + minExamples + " examples; relation classification needs"
                    + " two (labels with fewer: " + dropped.size() + ")" + (label == Label.RELATION ? "; try --labels relation+tail-type" : ""));
        }
        List<RelationExample> use = new ArrayList<>(examples.stream().filter(x -> kept.containsKey(x.relation())).toList());
        Collections.shuffle(use, new Random(seed));
        int dev = Math.min(devMax, use.size() / 10);
        return new Built(List.copyOf(use.subList(dev, use.size())), List.copyOf(use.subList(0, dev)), kept, dropped, c.sentences());
    }

    /**
     * The paper's labels, the relations, when at least two of them keep {@code minExamples} examples; otherwise the
     * relation with the tail's type (FOLDOC's co-mentioned pairs all have one relation, see_also).
     */
    public static Label labelsFor(DomainBundle bundle, int minExamples) {
        Map<String, Integer> counts = new TreeMap<>();
        collect(bundle, Label.RELATION).examples().forEach(x -> counts.merge(x.relation(), 1, Integer::sum));
        return counts.values().stream().filter(n -> n >= minExamples).count() >= 2 ? Label.RELATION : Label.RELATION_TAIL_TYPE;
    }

    private record Collected(List<RelationExample> examples, long sentences) {}

    private static Collected collect(DomainBundle bundle, Label label) {
        Map<String, List<String>> relations = new HashMap<>(); // "head\ttail" -> relations, sorted
        long triples;
        try (Stream<Triple> s = bundle.triples()) {
            List<Triple> all = s.toList();
            triples = all.size();
            for (Triple t : all) {
                List<String> r = relations.computeIfAbsent(t.head() + "\t" + t.tail(), k -> new ArrayList<>());
                if (!r.contains(t.relation())) {
                    r.add(t.relation());
                    Collections.sort(r);
                }
            }
        }
        if (triples == 0) {
            throw new InfuseException(bundle.dir() + " has no triples: K-Adapter's relation classification needs them");
        }
        Map<String, String> types = new HashMap<>();
        for (Entity e : bundle.entities()) {
            if (e.type() != null && !e.type().isBlank()) {
                types.put(e.id(), e.type());
            }
        }
        List<RelationExample> examples = new ArrayList<>();
        long sentences = 0;
        try (PassageSource.Pass pass = new BundleCorpus(bundle).open()) {
            while (pass.hasNext()) {
                TextPassage p = pass.next();
                int start = 0;
                Matcher m = END.matcher(p.text());
                while (true) {
                    int end = m.find() ? m.end() : p.text().length();
                    sentences++;
                    sentence(p, start, end, relations, types, label, examples);
                    if (end == p.text().length()) {
                        break;
                    }
                    start = end;
                }
            }
        }
        if (examples.isEmpty()) {
            throw new InfuseException(bundle.dir() + ": no corpus sentence mentions both the head and the tail of any of its " + triples
                    + " triples, so K-Adapter's relation classification has no example");
        }
        return new Collected(examples, sentences);
    }

    /** The examples of one sentence [start, end) of {@code p}: each ordered pair of entities a triple links, first mentions. */
    private static void sentence(TextPassage p, int start, int end, Map<String, List<String>> relations, Map<String, String> types, Label label,
            List<RelationExample> out) {
        Map<String, int[]> first = new LinkedHashMap<>(); // entity -> its first mention inside the sentence
        for (int i = 0; i < p.mentions().size(); i++) {
            int[] span = p.mentions().get(i);
            String id = p.entities().get(i);
            if (span[0] >= start && span[1] <= end && !id.isEmpty()) {
                first.putIfAbsent(id, span);
            }
        }
        if (first.size() < 2) {
            return;
        }
        for (Map.Entry<String, int[]> h : first.entrySet()) {
            for (Map.Entry<String, int[]> t : first.entrySet()) {
                List<String> rels = relations.get(h.getKey() + "\t" + t.getKey());
                if (rels == null || h.getKey().equals(t.getKey()) || overlap(h.getValue(), t.getValue())) {
                    continue;
                }
                for (String r : rels) {
                    String type = types.get(t.getKey());
                    String l = label == Label.RELATION || type == null ? r : r + ":" + type;
                    RelationExample x = example(p.text(), start, end, h.getValue(), t.getValue(), l);
                    if (x.headStart() < x.headEnd() && x.tailStart() < x.tailEnd()) { // a mention of white space alone has no word
                        out.add(x);
                    }
                }
            }
        }
    }

    private static boolean overlap(int[] a, int[] b) {
        return a[0] < b[1] && b[0] < a[1];
    }

    /** The sentence as words, each mention its own words, so the head and tail are word ranges as Wiki80 has them. */
    static RelationExample example(String text, int start, int end, int[] head, int[] tail, String relation) {
        int[][] spans = head[0] < tail[0] ? new int[][] {head, tail} : new int[][] {tail, head};
        List<String> words = new ArrayList<>();
        int[][] ranges = new int[2][];
        int at = start;
        for (int k = 0; k < 2; k++) {
            words(text, at, spans[k][0], words);
            int from = words.size();
            words(text, spans[k][0], spans[k][1], words);
            ranges[k] = new int[] {from, words.size()};
            at = spans[k][1];
        }
        words(text, at, end, words);
        int[] h = spans[0] == head ? ranges[0] : ranges[1];
        int[] t = spans[0] == head ? ranges[1] : ranges[0];
        return new RelationExample(words, h[0], h[1], t[0], t[1], relation);
    }

    private static void words(String text, int from, int to, List<String> out) {
        Matcher m = WORD.matcher(text).region(from, to);
        while (m.find()) {
            out.add(m.group());
        }
    }

    /** The distinct labels, sorted: what a label map would hold. */
    static List<String> labels(Built b) {
        return List.copyOf(new TreeSet<>(b.kept().keySet()));
    }
}
