package dev.infuse.domain.wordnet;

import dev.infuse.InfuseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * WordNet 3.0 read straight from its database files: synsets by part of speech and offset, the words of each,
 * and the base forms of an inflected word (morphy). The files come from Maven Central's
 * {@code net.sf.extjwnl:extjwnl-data-wn30} (Princeton's licence, see data/wordnet/README.md) or from a WordNet
 * {@code dict/} directory a user names.
 */
public final class WordNet {
    static final String RESOURCE = "net/sf/extjwnl/data/wordnet/wn30/";
    static final List<Character> POS = List.of('n', 'v', 'a', 'r');
    private static final Map<Character, String> FILE = Map.of('n', "noun", 'v', "verb", 'a', "adj", 'r', "adv");

    private final String source;
    private final List<String> supersenseNames;
    private final Map<Character, Map<String, Synset>> synsets;
    private final Map<Character, Map<String, List<Synset>>> byLemma;
    private final Map<Character, Map<String, List<String>>> exceptions;

    private WordNet(String source, List<String> supersenseNames, Map<Character, Map<String, Synset>> synsets,
            Map<Character, Map<String, List<String>>> exceptions) {
        this.source = source;
        this.supersenseNames = List.copyOf(supersenseNames);
        this.synsets = synsets;
        this.exceptions = exceptions;
        this.byLemma = new HashMap<>();
        synsets.forEach((pos, all) -> {
            Map<String, List<Synset>> m = new HashMap<>();
            for (Synset s : all.values()) {
                for (String l : s.lemmas()) {
                    m.computeIfAbsent(l.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(s);
                }
            }
            byLemma.put(pos, m);
        });
    }

    /** WordNet 3.0 from the extjwnl-data-wn30 jar on the class path. */
    public static WordNet load() {
        ClassLoader cl = WordNet.class.getClassLoader();
        if (cl.getResource(RESOURCE + "lexnames") == null) {
            throw new InfuseException("WordNet 3.0 is not on the class path (Maven net.sf.extjwnl:extjwnl-data-wn30); rebuild infuse");
        }
        return read("WordNet 3.0 (extjwnl-data-wn30)", name -> {
            InputStream in = cl.getResourceAsStream(RESOURCE + name);
            if (in == null) {
                throw new InfuseException("WordNet 3.0 on the class path lacks " + name);
            }
            return in;
        });
    }

    /** WordNet from a directory holding lexnames, data.{noun,verb,adj,adv} and the .exc files. */
    public static WordNet load(Path dir) {
        return read(dir.toString(), name -> {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) {
                throw new InfuseException("WordNet directory " + dir + " has no " + name);
            }
            try {
                return Files.newInputStream(p);
            } catch (IOException e) {
                throw new InfuseException("cannot read " + p + ": " + e.getMessage());
            }
        });
    }

    private static WordNet read(String source, Function<String, InputStream> open) {
        Map<Integer, String> lexnames = new HashMap<>();
        lines(open, "lexnames", source, (line, where) -> {
            Map.Entry<Integer, String> e = WordNetFormat.lexname(line, where);
            lexnames.put(e.getKey(), e.getValue());
        });
        Map<Character, Map<String, Synset>> synsets = new LinkedHashMap<>();
        Map<Character, Map<String, List<String>>> exceptions = new LinkedHashMap<>();
        for (char pos : POS) {
            Map<String, Synset> m = new LinkedHashMap<>();
            lines(open, "data." + FILE.get(pos), source, (line, where) -> {
                if (!line.startsWith("  ")) { // the licence header is indented by two spaces
                    Synset s = WordNetFormat.synset(line, lexnames, where);
                    m.put(s.offset(), s);
                }
            });
            synsets.put(pos, Collections.unmodifiableMap(m));
            Map<String, List<String>> exc = new HashMap<>();
            lines(open, FILE.get(pos) + ".exc", source, (line, where) -> {
                String[] f = line.trim().split(" +");
                if (f.length < 2) {
                    throw WordNetFormat.bad(where, "an exception line needs an inflected form and a base form");
                }
                exc.put(f[0].replace('_', ' '), List.of(f).subList(1, f.length).stream().map(b -> b.replace('_', ' ')).toList());
            });
            exceptions.put(pos, exc);
        }
        return new WordNet(source, new TreeMap<>(lexnames).values().stream().toList(), synsets, exceptions);
    }

    private interface LineSink {
        void accept(String line, String where);
    }

    private static void lines(Function<String, InputStream> open, String name, String source, LineSink sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open.apply(name), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    sink.accept(line, source + "/" + name + ":" + n);
                }
            }
        } catch (IOException e) {
            throw new InfuseException("cannot read " + source + "/" + name + ": " + e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    /** The supersenses (lexicographer files) in {@code lexnames} order: adj.all, adj.pert, adv.all, noun.Tops, ... */
    public List<String> supersenseNames() {
        return supersenseNames;
    }

    /** Every synset of {@code pos} (n, v, a, r), in file order. */
    public Iterable<Synset> synsets(char pos) {
        return synsets.get(pos).values();
    }

    /** The synset at {@code offset} among nouns and verbs (WN18RR's ids), nouns first; null when neither has it. */
    public Synset nounOrVerb(String offset) {
        Synset s = synsets.get('n').get(offset);
        return s != null ? s : synsets.get('v').get(offset);
    }

    public Synset synset(char pos, String offset) {
        return synsets.get(pos).get(offset);
    }

    /** The synsets that hold {@code lemma} (any case) as a word of part of speech {@code pos}. */
    public List<Synset> lookup(String lemma, char pos) {
        return byLemma.get(pos).getOrDefault(lemma.toLowerCase(Locale.ROOT), List.of());
    }

    /**
     * The base forms of {@code word} that WordNet holds as {@code pos}: the word itself, its listed exceptions
     * ("geese" → "goose") and what WordNet's detachment rules give ("computers" → "computer"), in that order.
     */
    public List<String> baseForms(String word, char pos) {
        String w = word.toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        if (!lookup(w, pos).isEmpty()) {
            out.add(w);
        }
        for (String b : exceptions.get(pos).getOrDefault(w, List.of())) {
            if (!lookup(b, pos).isEmpty()) {
                out.add(b);
            }
        }
        for (String[] rule : Morphy.rules(pos)) {
            if (w.endsWith(rule[0]) && w.length() > rule[0].length()) {
                String b = w.substring(0, w.length() - rule[0].length()) + rule[1];
                if (!lookup(b, pos).isEmpty()) {
                    out.add(b);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The supersenses {@code word} may have: the lexicographer files of every synset of any of its base forms,
     * sorted; empty for a word WordNet does not know. SenseBERT's A(w).
     */
    public List<String> supersenses(String word) {
        TreeMap<String, Boolean> out = new TreeMap<>();
        for (char pos : POS) {
            for (String b : baseForms(word, pos)) {
                lookup(b, pos).forEach(s -> out.put(s.supersense(), true));
            }
        }
        return List.copyOf(out.keySet());
    }
}
