package dev.infuse.domain.wordnet;

import java.util.List;

/**
 * One line of a WordNet 3.0 {@code data.*} file.
 *
 * @param offset the byte offset that names it in its file (what WN18RR's ids are)
 * @param pos n, v, a (s for satellite adjectives is read as a) or r
 * @param supersense its lexicographer file, one of the 45 in {@code lexnames} ("noun.artifact")
 * @param lemmas its words, as WordNet spells them, underscores turned into spaces
 * @param hypernyms offsets of its hypernyms ({@code @}), same part of speech
 * @param instanceOf offsets of the classes it is an instance of ({@code @i}): named entities, which the lexical relations leave out
 * @param gloss its definition, with its quoted examples
 */
public record Synset(String offset, char pos, String supersense, List<String> lemmas, List<String> hypernyms, List<String> instanceOf,
        String gloss) {
    public Synset {
        lemmas = List.copyOf(lemmas);
        hypernyms = List.copyOf(hypernyms);
        instanceOf = List.copyOf(instanceOf);
    }

    /** The gloss without its quoted examples: the definition alone. */
    public String definition() {
        int q = gloss.indexOf("; \"");
        return (q < 0 ? gloss : gloss.substring(0, q)).strip();
    }

    /** The quoted example sentences of the gloss, quotes removed. */
    public List<String> examples() {
        List<String> out = new java.util.ArrayList<>();
        int i = gloss.indexOf('"');
        while (i >= 0) {
            int j = gloss.indexOf('"', i + 1);
            if (j < 0) {
                break;
            }
            String e = gloss.substring(i + 1, j).strip();
            if (!e.isEmpty()) {
                out.add(e);
            }
            i = gloss.indexOf('"', j + 1);
        }
        return out;
    }

    /** Whether a lemma is a common word rather than a name: WordNet writes names with a capital. */
    public static boolean common(String lemma) {
        return lemma.chars().noneMatch(Character::isUpperCase);
    }
}
