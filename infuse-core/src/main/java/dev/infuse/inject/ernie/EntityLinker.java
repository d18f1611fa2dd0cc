package dev.infuse.inject.ernie;

import dev.infuse.inject.SubjectHint;
import dev.infuse.text.Encoding;
import dev.infuse.text.MentionMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Links a text's mentions to the rows of a table of entity vectors, by the entities' names and aliases, and aligns
 * each with its first token. A probe's subject, when the table has it, is the only mention linked, as PELT links
 * probes. ERNIE's fusion and kge-concat both read what it finds.
 */
final class EntityLinker {
    private final EntityVectors entities;
    private final MentionMatcher matcher;

    EntityLinker(EntityVectors entities) {
        this.entities = entities;
        this.matcher = entities.matcher();
    }

    /** {@code row} with its mentions' alignment under {@code key} in the extras; {@code row} itself when nothing links. */
    dev.infuse.inject.TextRow link(String text, dev.infuse.inject.TextRow row, String key) {
        EntityAlignment a = align(text, row.encoding(), row.extras().get(SubjectHint.KEY));
        if (a.size() == 0) {
            return row;
        }
        java.util.Map<String, Object> extras = new java.util.HashMap<>(row.extras());
        extras.put(key, a);
        return new dev.infuse.inject.TextRow(row.encoding(), row.overrides(), row.positions(), row.visibility(), extras);
    }

    EntityAlignment align(String text, Encoding e, Object hint) {
        List<int[]> spans = new ArrayList<>(); // start, end, row
        if (hint instanceof SubjectHint h && entities.contains(h.entity()) && !h.surface().isEmpty()) {
            int at = text.toLowerCase(Locale.ROOT).indexOf(h.surface().toLowerCase(Locale.ROOT));
            if (at >= 0) {
                spans.add(new int[] {at, at + h.surface().length(), entities.row(h.entity())});
            }
        } else {
            matcher.match(text, m -> {
                if (!m.ambiguous()) {
                    spans.add(new int[] {m.start(), m.end(), entities.row(m.entity())});
                }
            });
        }
        List<int[]> out = new ArrayList<>();
        for (int[] s : spans) {
            for (int i = 0; i < e.size(); i++) {
                if (!e.special()[i] && e.starts()[i] >= s[0] && e.starts()[i] < s[1]) {
                    out.add(new int[] {i, s[2]});
                    break;
                }
            }
        }
        return new EntityAlignment(out.stream().mapToInt(x -> x[0]).toArray(), out.stream().mapToInt(x -> x[1]).toArray());
    }
}
