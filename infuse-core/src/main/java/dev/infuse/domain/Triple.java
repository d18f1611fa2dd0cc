package dev.infuse.domain;

/** A fact {@code head --relation--> tail} between two entity ids. */
public record Triple(String head, String relation, String tail) {
    public Triple {
        check(head, "head");
        check(relation, "relation");
        check(tail, "tail");
    }

    private static void check(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("empty " + what);
        }
        // Tabs and newlines would corrupt triples.tsv on the next write.
        if (v.indexOf('\t') >= 0 || v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " '" + v + "' contains a tab or newline");
        }
    }
}
