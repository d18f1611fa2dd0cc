package dev.infuse.task.ner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The floor a knowledge-injected model must clear: tag every dictionary match of a training-set entity name
 * with the type it had in training. Names are word sequences compared case-insensitively; at each word the
 * longest name wins, matches never overlap, and a name seen with several types takes its most frequent one
 * (ties: the type seen first).
 */
public final class DictionaryBaseline {
    private final Map<List<String>, String> types = new HashMap<>();
    private int longest;

    private DictionaryBaseline() {}

    public static DictionaryBaseline train(List<NerSentence> sentences) {
        Map<List<String>, Map<String, Integer>> counts = new HashMap<>();
        Map<List<String>, List<String>> order = new HashMap<>();
        for (NerSentence s : sentences) {
            for (Chunk c : Chunks.of(s.tags())) {
                List<String> name = key(s.words().subList(c.start(), c.end()));
                counts.computeIfAbsent(name, k -> new HashMap<>()).merge(c.type(), 1, Integer::sum);
                List<String> seen = order.computeIfAbsent(name, k -> new ArrayList<>());
                if (!seen.contains(c.type())) {
                    seen.add(c.type());
                }
            }
        }
        DictionaryBaseline d = new DictionaryBaseline();
        counts.forEach((name, byType) -> {
            int max = Collections.max(byType.values());
            d.types.put(name, order.get(name).stream().filter(t -> byType.get(t) == max).findFirst().orElseThrow());
            d.longest = Math.max(d.longest, name.size());
        });
        return d;
    }

    public int size() {
        return types.size();
    }

    /** BIO tags for one sentence's words. */
    public List<String> tag(List<String> words) {
        List<String> lower = key(words);
        List<String> tags = new ArrayList<>(Collections.nCopies(words.size(), "O"));
        for (int i = 0; i < words.size(); ) {
            int matched = 0;
            for (int n = Math.min(longest, words.size() - i); n >= 1 && matched == 0; n--) {
                String type = types.get(lower.subList(i, i + n));
                if (type != null) {
                    tags.set(i, "B-" + type);
                    for (int k = 1; k < n; k++) {
                        tags.set(i + k, "I-" + type);
                    }
                    matched = n;
                }
            }
            i += Math.max(matched, 1);
        }
        return tags;
    }

    /** Scores as {@link NerSet#score} does, per bucket too when the set has buckets. */
    public dev.infuse.task.Scores score(NerSet test) {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>(List.of("O"));
        List<List<String>> predicted = new java.util.ArrayList<>();
        for (NerSentence x : test.sentences()) {
            List<String> t = tag(x.words());
            tags.addAll(t);
            predicted.add(t);
        }
        dev.infuse.task.Labels labels = new dev.infuse.task.Labels(List.copyOf(tags));
        return test.score(predicted.stream().map(t -> t.stream().mapToInt(labels::id).toArray()).toList(), labels);
    }

    public NerScores evaluate(List<NerSentence> sentences) {
        NerScores s = new NerScores();
        for (NerSentence x : sentences) {
            s.add(x.tags(), tag(x.words()));
        }
        return s;
    }

    private static List<String> key(List<String> words) {
        return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }
}
