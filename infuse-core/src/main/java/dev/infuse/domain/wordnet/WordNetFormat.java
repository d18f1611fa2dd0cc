package dev.infuse.domain.wordnet;

import dev.infuse.InfuseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The line format of WordNet 3.0's database files (Princeton's wndb(5)): every field is checked, and a line that
 * does not parse is one error naming the file and line.
 */
final class WordNetFormat {
    private WordNetFormat() {}

    /**
     * {@code offset lex_filenum ss_type w_cnt (word lex_id){w_cnt} p_cnt (ptr offset pos src/tgt){p_cnt} [frames] | gloss}
     *
     * @param lexnames lexicographer file number to its name
     */
    static Synset synset(String line, Map<Integer, String> lexnames, String where) {
        int bar = line.indexOf(" | ");
        String[] f = (bar < 0 ? line : line.substring(0, bar)).trim().split(" +");
        try {
            int i = 0;
            String offset = f[i++];
            if (offset.length() != 8 || !offset.chars().allMatch(Character::isDigit)) {
                throw bad(where, "offset \"" + offset + "\" is not 8 digits");
            }
            int lexFile = Integer.parseInt(f[i++]);
            String supersense = lexnames.get(lexFile);
            if (supersense == null) {
                throw bad(where, "lexicographer file " + lexFile + " is not in lexnames");
            }
            char pos = pos(f[i++], where);
            int words = Integer.parseInt(f[i++], 16);
            List<String> lemmas = new ArrayList<>();
            for (int w = 0; w < words; w++) {
                lemmas.add(lemma(f[i++]));
                i++; // lex_id
            }
            int pointers = Integer.parseInt(f[i++]);
            List<String> hypernyms = new ArrayList<>();
            List<String> instanceOf = new ArrayList<>();
            for (int p = 0; p < pointers; p++) {
                String symbol = f[i++];
                String target = f[i++];
                i += 2; // its pos, source/target word numbers
                if (symbol.equals("@")) {
                    hypernyms.add(target);
                } else if (symbol.equals("@i")) {
                    instanceOf.add(target);
                }
            }
            if (i > f.length || lemmas.isEmpty()) {
                throw bad(where, "fewer fields than its counts promise");
            }
            return new Synset(offset, pos, supersense, lemmas, hypernyms, instanceOf, bar < 0 ? "" : line.substring(bar + 3).strip());
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw bad(where, "not a WordNet synset line (" + e.getMessage() + ")");
        }
    }

    /** {@code 03\tnoun.Tops\t1}: lexicographer file number, name, syntactic category. */
    static Map.Entry<Integer, String> lexname(String line, String where) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2 || !f[0].chars().allMatch(Character::isDigit) || !f[1].contains(".")) {
            throw bad(where, "not a lexnames line (number, name, category)");
        }
        return Map.entry(Integer.parseInt(f[0]), f[1]);
    }

    private static char pos(String s, String where) {
        return switch (s) {
            case "n" -> 'n';
            case "v" -> 'v';
            case "a", "s" -> 'a';
            case "r" -> 'r';
            default -> throw bad(where, "part of speech \"" + s + "\" is not n, v, a, s or r");
        };
    }

    /** Adjectives may carry a syntactic marker, "(p)", "(a)" or "(ip)"; underscores join the words of a collocation. */
    private static String lemma(String w) {
        int paren = w.indexOf('(');
        return (paren > 0 ? w.substring(0, paren) : w).replace('_', ' ');
    }

    static InfuseException bad(String where, String what) {
        return new InfuseException(where + ": " + what);
    }
}
