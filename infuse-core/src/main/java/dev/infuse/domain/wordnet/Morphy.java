package dev.infuse.domain.wordnet;

import java.util.List;

/** WordNet's detachment rules (morphy(7WN)): an inflectional ending and what replaces it, per part of speech. */
final class Morphy {
    private static final List<String[]> NOUN = List.of(new String[] {"s", ""}, new String[] {"ses", "s"}, new String[] {"xes", "x"},
            new String[] {"zes", "z"}, new String[] {"ches", "ch"}, new String[] {"shes", "sh"}, new String[] {"men", "man"},
            new String[] {"ies", "y"});
    private static final List<String[]> VERB = List.of(new String[] {"s", ""}, new String[] {"ies", "y"}, new String[] {"es", "e"},
            new String[] {"es", ""}, new String[] {"ed", "e"}, new String[] {"ed", ""}, new String[] {"ing", "e"}, new String[] {"ing", ""});
    private static final List<String[]> ADJ = List.of(new String[] {"er", ""}, new String[] {"est", ""}, new String[] {"er", "e"},
            new String[] {"est", "e"});

    private Morphy() {}

    static List<String[]> rules(char pos) {
        return switch (pos) {
            case 'n' -> NOUN;
            case 'v' -> VERB;
            case 'a' -> ADJ;
            default -> List.of();
        };
    }
}
