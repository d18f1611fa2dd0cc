package dev.infuse.inject.nmg;

import dev.infuse.io.Progress;
import dev.infuse.io.StopSignal;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a policy learned to mask: over a set of texts, how often each word had a token chosen (top-k, as at use)
 * against how often the word occurs there. A word counts once per occurrence, however many of its pieces were chosen.
 */
public final class MaskedWords {
    /** @param picks occurrences with a chosen token; @param occurrences the word's occurrences in the texts */
    public record Count(String word, long picks, long occurrences) {}

    /** @param counts the {@code top} most picked words, most first (ties by word); the totals are over every word */
    public record Result(List<Count> counts, long totalPicks, long totalWords, int texts) {}

    private MaskedWords() {}

    public static Result count(BertModel model, Tokenizer tokenizer, PolicyNet net, List<TokenInstance> texts, int batch, int top) {
        Map<String, long[]> byWord = new HashMap<>(); // word -> {picks, occurrences}
        long picks = 0;
        long words = 0;
        NmgMasking atUse = NmgMasking.atUse(net); // not closed: the caller keeps the net
        try (Progress p = new Progress("nmg words", texts.size(), "texts")) {
            for (int from = 0; from < texts.size(); from += batch) {
                int done = from;
                StopSignal.check(() -> "after " + done + " of " + texts.size() + " texts");
                List<TokenInstance> part = texts.subList(from, Math.min(texts.size(), from + batch));
                List<Random> unused = part.stream().map(t -> new Random(0)).toList(); // top-k draws nothing
                List<boolean[]> chosen = atUse.choose(model, part, unused);
                for (int i = 0; i < part.size(); i++) {
                    Map<Integer, String> spelled = spell(part.get(i), tokenizer);
                    Map<Integer, Boolean> hit = new HashMap<>();
                    for (int t = 0; t < part.get(i).size(); t++) {
                        int w = part.get(i).wordIds()[t];
                        if (w >= 0) {
                            hit.merge(w, chosen.get(i)[t], Boolean::logicalOr);
                        }
                    }
                    for (Map.Entry<Integer, Boolean> e : hit.entrySet()) {
                        long[] c = byWord.computeIfAbsent(spelled.get(e.getKey()), k -> new long[2]);
                        c[1]++;
                        words++;
                        if (e.getValue()) {
                            c[0]++;
                            picks++;
                        }
                    }
                }
                p.step(part.size());
            }
        }
        List<Count> all = new ArrayList<>();
        byWord.forEach((w, c) -> all.add(new Count(w, c[0], c[1])));
        all.sort(Comparator.comparingLong(Count::picks).reversed().thenComparing(Count::word));
        return new Result(all.subList(0, Math.min(top, all.size())), picks, words, texts.size());
    }

    /** Each word of a text spelled from its pieces ("fetch" + "##es" = "fetches", a RoBERTa "Ġword" without its space mark). */
    static Map<Integer, String> spell(TokenInstance text, Tokenizer tokenizer) {
        Map<Integer, StringBuilder> b = new HashMap<>();
        for (int t = 0; t < text.size(); t++) {
            int w = text.wordIds()[t];
            if (w >= 0) {
                String piece = tokenizer.idToToken(text.ids()[t]);
                piece = piece.startsWith("##") ? piece.substring(2) : piece.startsWith("\u0120") ? piece.substring(1) : piece;
                b.computeIfAbsent(w, k -> new StringBuilder()).append(piece);
            }
        }
        Map<Integer, String> out = new HashMap<>();
        b.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
