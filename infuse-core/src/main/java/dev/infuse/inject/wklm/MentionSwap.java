package dev.infuse.inject.wklm;

import dev.infuse.mask.TokenInstance;
import dev.infuse.train.data.Instance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Rewrites a window with some mentions swapped for another entity of the same type: the swapped span becomes that
 * entity's name (its word pieces), and later spans shift. A swap may lengthen the window; it then keeps its
 * original length, the last tokens before its closing special tokens falling out (with any mention they held),
 * so a window never outgrows the length the corpus stream cut it to.
 */
final class MentionSwap {
    private final Map<String, String> typeOf; // entity -> type
    private final Map<String, List<String>> byType; // type -> its entities with a name, sorted
    private final Map<String, int[]> nameIds; // entity -> its name's word pieces

    MentionSwap(Map<String, String> typeOf, Map<String, List<String>> byType, Map<String, int[]> nameIds) {
        this.typeOf = typeOf;
        this.byType = byType;
        this.nameIds = nameIds;
    }

    /** Whether {@code entity} can be swapped: it has a type that holds another named entity. */
    boolean swappable(String entity) {
        String t = typeOf.get(entity);
        return t != null && byType.getOrDefault(t, List.of()).size() > 1;
    }

    Instance rewrite(Instance in, Random rng) {
        List<int[]> spans = in.tokens().entitySpans();
        boolean[] swap = Replacements.choose(spans.size(), rng);
        List<String> entities = new ArrayList<>(in.entities());
        boolean any = false;
        for (int k = 0; k < spans.size(); k++) {
            String e = entities.get(k);
            if (swap[k] && swappable(e)) {
                List<String> same = byType.get(typeOf.get(e));
                String other = same.get(rng.nextInt(same.size() - 1));
                entities.set(k, other.equals(e) ? same.get(same.size() - 1) : other); // uniform over the type's others
                any = true;
            } else {
                swap[k] = false;
            }
        }
        return any ? rebuild(in, spans, entities, swap) : in;
    }

    private Instance rebuild(Instance in, List<int[]> spans, List<String> entities, boolean[] swap) {
        TokenInstance t = in.tokens();
        List<Integer> ids = new ArrayList<>();
        List<Boolean> special = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        List<int[]> newSpans = new ArrayList<>();
        int nextWord = java.util.Arrays.stream(t.wordIds()).max().orElse(0) + 1;
        int k = 0;
        for (int i = 0; i < t.size(); ) {
            if (k < spans.size() && spans.get(k)[0] == i) {
                int start = ids.size();
                if (swap[k]) {
                    for (int id : nameIds.get(entities.get(k))) {
                        ids.add(id);
                        special.add(false);
                        words.add(nextWord); // a swapped name is one unit for whole-word masking
                    }
                    nextWord++;
                } else {
                    for (int j = spans.get(k)[0]; j < spans.get(k)[1]; j++) {
                        ids.add(t.ids()[j]);
                        special.add(false);
                        words.add(t.wordIds()[j]);
                    }
                }
                newSpans.add(new int[] {start, ids.size()});
                i = spans.get(k)[1];
                k++;
            } else {
                ids.add(t.ids()[i]);
                special.add(t.special()[i]);
                words.add(t.wordIds()[i]);
                i++;
            }
        }
        int cut = ids.size() - t.size(); // tokens over the original length, taken from before the closing specials
        if (cut > 0) {
            int from = ids.size() - trailingSpecials(special) - cut;
            for (int r = 0; r < cut; r++) {
                ids.remove(from);
                special.remove(from);
                words.remove(from);
            }
        }
        List<int[]> keptSpans = new ArrayList<>();
        List<String> keptEntities = new ArrayList<>();
        Set<Integer> replaced = new HashSet<>();
        int limit = ids.size() - trailingSpecials(special);
        for (int m = 0; m < newSpans.size(); m++) {
            if (newSpans.get(m)[1] <= limit) {
                if (swap[m]) {
                    replaced.add(keptSpans.size());
                }
                keptSpans.add(newSpans.get(m));
                keptEntities.add(entities.get(m));
            }
        }
        boolean[] sp = new boolean[special.size()];
        for (int i = 0; i < sp.length; i++) {
            sp[i] = special.get(i);
        }
        TokenInstance out = new TokenInstance(ids.stream().mapToInt(Integer::intValue).toArray(), sp,
                words.stream().mapToInt(Integer::intValue).toArray(), keptSpans);
        return new Instance(in.epoch(), in.index(), out, keptEntities, replaced);
    }

    private static int trailingSpecials(List<Boolean> special) {
        int tail = 0;
        while (tail < special.size() && special.get(special.size() - 1 - tail)) {
            tail++;
        }
        return tail;
    }
}
