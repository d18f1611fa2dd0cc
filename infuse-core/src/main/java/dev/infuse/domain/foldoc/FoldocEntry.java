package dev.infuse.domain.foldoc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One FOLDOC entry split into headwords and cleaned paragraphs.
 *
 * <p>Markup handled: {@code {term}} is a cross-reference (kept as text, recorded as a span);
 * {@code {label (url)}} is a link (label kept, no reference); {@code {(url)}} is dropped; {@code <tags>}
 * (subject categories, e-mail addresses) are dropped; {@code __emphasis__} loses its underscores.
 * Paragraphs that are only a date stamp or a bracketed bibliography are dropped.
 */
record FoldocEntry(List<String> headwords, List<String> tags, List<Paragraph> paragraphs) {
    /** A cleaned paragraph and its cross-references as char spans into {@code text}. */
    record Paragraph(String text, List<Ref> refs) {}

    record Ref(int start, int end) {}

    /** Subject tags are words and commas; anything else in angle brackets (HTML, e-mail) is not one. */
    private static final Pattern TAG = Pattern.compile("<([A-Za-z][A-Za-z0-9 ,/&-]{0,59})>");
    private static final Pattern ANY_TAG = Pattern.compile("<[^<>{}]{1,80}>");
    private static final Pattern SENSE = Pattern.compile("^\\d{1,2}\\.\\s+");
    private static final Pattern DATE = Pattern.compile("^\\(\\d{4}-?\\d{2}-?\\d{2}\\)\\.?$");

    static FoldocEntry parse(String raw) {
        String[] lines = raw.split("\n", -1);
        List<String> heads = new ArrayList<>();
        int i = 0;
        while (i < lines.length && !lines[i].isBlank() && !Character.isWhitespace(lines[i].charAt(0))) {
            heads.add(lines[i].strip());
            i++;
        }
        List<String> rawParas = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                if (cur.length() > 0) {
                    rawParas.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(cur.length() > 0 ? " " : "").append(lines[i].strip());
            }
        }
        if (cur.length() > 0) {
            rawParas.add(cur.toString());
        }
        Set<String> tags = new LinkedHashSet<>();
        List<Paragraph> paras = new ArrayList<>();
        for (String p : rawParas) {
            Matcher m = TAG.matcher(SENSE.matcher(p).replaceFirst(""));
            if (m.lookingAt()) {
                for (String t : m.group(1).split(",")) {
                    if (!t.isBlank()) {
                        tags.add(t.strip().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            Paragraph c = clean(p);
            if (!c.text().isEmpty() && !DATE.matcher(c.text()).matches() && !c.text().startsWith("[")) {
                paras.add(c);
            }
        }
        return new FoldocEntry(heads, List.copyOf(tags), paras);
    }

    /** Removes markup, collapsing whitespace as it goes so recorded spans stay exact. */
    static Paragraph clean(String p) {
        p = SENSE.matcher(p).replaceFirst("");
        StringBuilder out = new StringBuilder(p.length());
        List<Ref> refs = new ArrayList<>();
        boolean removed = false; // markup was just dropped: a following "." must not keep the space before it
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '{') {
                int close = p.indexOf('}', i + 1);
                if (close > 0) {
                    String inner = p.substring(i + 1, close).strip();
                    i = close + 1;
                    if (inner.startsWith("(")) {
                        removed = true;
                        continue; // bare URL
                    }
                    int paren = inner.lastIndexOf(" (");
                    boolean link = inner.endsWith(")") && paren > 0;
                    String label = link ? inner.substring(0, paren).strip() : inner;
                    if (link || label.contains("://") || label.startsWith("news:") || label.startsWith("mailto:")) {
                        append(out, label);
                    } else {
                        int start = append(out, label);
                        if (start < out.length()) {
                            refs.add(new Ref(start, out.length()));
                        }
                    }
                    continue;
                }
            } else if (c == '<') {
                Matcher m = ANY_TAG.matcher(p).region(i, p.length());
                if (m.lookingAt()) {
                    i = m.end();
                    removed = true;
                    continue;
                }
            } else if (c == '_' && p.startsWith("__", i)) {
                i += 2;
                continue;
            }
            if (removed && ".,;:!?)".indexOf(c) >= 0 && out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            if (!Character.isWhitespace(c)) {
                removed = false;
            }
            append(out, String.valueOf(c));
            i++;
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        return new Paragraph(out.toString(), refs);
    }

    /** Appends with single spaces and no leading space; returns where the first non-space char went. */
    private static int append(StringBuilder out, String s) {
        int start = -1;
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (Character.isWhitespace(ch)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else {
                if (start < 0) {
                    start = out.length();
                }
                out.append(ch);
            }
        }
        return start < 0 ? out.length() : start;
    }
}
