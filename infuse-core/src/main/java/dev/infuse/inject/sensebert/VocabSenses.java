package dev.infuse.inject.sensebert;

import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.text.Tokenizer;
import java.util.List;

/**
 * The allowed supersenses of every vocabulary entry that is a whole word: SenseBERT scores a masked token only
 * when it is a word of its own (not a word piece, not a special token) that WordNet knows. Word pieces carry no
 * sense by themselves; a word split into pieces is left unscored, as a word WordNet lacks is.
 */
final class VocabSenses {
    private final int[][] allowed; // token id -> supersense indices, empty when unscored
    private final boolean[] piece; // token id -> whether it continues the word before it (##)
    private final int senses;
    private final int scored;

    private VocabSenses(int[][] allowed, boolean[] piece, int senses, int scored) {
        this.allowed = allowed;
        this.piece = piece;
        this.senses = senses;
        this.scored = scored;
    }

    static VocabSenses of(Tokenizer tok, WordNet wn) {
        List<String> names = wn.supersenseNames();
        int[][] allowed = new int[tok.vocabSize()][];
        boolean[] piece = new boolean[tok.vocabSize()];
        int scored = 0;
        for (int id = 0; id < allowed.length; id++) {
            String t = tok.idToToken(id);
            piece[id] = t != null && t.startsWith("##");
            boolean word = !tok.isSpecial(id) && t != null && !t.startsWith("##") && t.chars().anyMatch(Character::isLetter);
            allowed[id] = word ? wn.supersenses(t).stream().mapToInt(names::indexOf).toArray() : new int[0];
            scored += allowed[id].length > 0 ? 1 : 0;
        }
        return new VocabSenses(allowed, piece, names.size(), scored);
    }

    int[] allowed(long tokenId) {
        return tokenId >= 0 && tokenId < allowed.length ? allowed[(int) tokenId] : new int[0];
    }

    /** Whether a token continues the word before it (a WordPiece {@code ##} piece). */
    boolean continues(long tokenId) {
        return tokenId >= 0 && tokenId < piece.length && piece[(int) tokenId];
    }

    int senses() {
        return senses;
    }

    /** How many vocabulary entries have a sense to score. */
    int scoredEntries() {
        return scored;
    }
}
