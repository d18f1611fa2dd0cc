package dev.infuse.task;

import java.util.regex.Pattern;

/**
 * Guesses which task format a line is written in, so a reader handed the wrong kind of file can say
 * "expects CoNLL, but line 1 looks like JSON" instead of a parse error about one field.
 */
public final class FileShapes {
    /** token, optional middle columns, then a BIO tag, separated by tabs or spaces. */
    private static final Pattern CONLL = Pattern.compile("\\S+([\\t ]+\\S+)*[\\t ]+(O|[BI]-\\S+)");

    private FileShapes() {}

    public static boolean looksLikeJson(String line) {
        String t = line.strip();
        return t.startsWith("{") || t.startsWith("[");
    }

    public static boolean looksLikeConll(String line) {
        String t = line.strip();
        return !looksLikeJson(t) && (CONLL.matcher(t).matches() || t.startsWith("-DOCSTART-"));
    }

    /** The refusal for a jsonl reader that met a CoNLL line. */
    public static String expectsJsonl(String file, int line) {
        return file + ": expects jsonl (one JSON object per line), but line " + line + " looks like CoNLL (token<TAB>tag)";
    }

    /** The refusal for a CoNLL reader that met a JSON line. */
    public static String expectsConll(String file, int line) {
        return file + ": expects CoNLL (token<TAB>tag per line), but line " + line + " looks like JSON";
    }
}
