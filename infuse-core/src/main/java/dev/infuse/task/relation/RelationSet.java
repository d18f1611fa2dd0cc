package dev.infuse.task.relation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.inject.TextRow;
import dev.infuse.task.Encoded;
import dev.infuse.task.JsonlReader;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.SingleLabelSet;
import dev.infuse.task.Target;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relation classification with entity markers: the head is wrapped as {@code @ head @}, the tail as
 * {@code # tail #}, and the relation is read from the states of the two opening markers, concatenated
 * (Zhou and Chen's "entity marker (punct)" form). Punctuation markers need no new vocabulary entries,
 * so the model and tokenizer stay loadable as they are.
 */
public final class RelationSet extends SingleLabelSet<RelationExample> {
    static final String HEAD = "@";
    static final String TAIL = "#";
    public RelationSet(List<RelationExample> examples) {
        super(examples);
    }

    @Override
    protected String label(RelationExample x) {
        return x.relation();
    }

    /** Wiki80's own names: {@code token}, {@code h.pos} and {@code t.pos}. */
    @Override
    protected Map<String, Object> fields(RelationExample x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", x.tokens());
        m.put("h", Map.of("pos", List.of(x.headStart(), x.headEnd())));
        m.put("t", Map.of("pos", List.of(x.tailStart(), x.tailEnd())));
        return m;
    }

    public static RelationSet read(Path file) {
        return new RelationSet(JsonlReader.read(file, (o, where) -> {
            JsonArray toks = o.getAsJsonArray("token");
            if (toks == null || toks.isEmpty()) {
                throw new InfuseException(where + ": missing \"token\" list");
            }
            List<String> tokens = new ArrayList<>();
            toks.forEach(t -> tokens.add(t.getAsString()));
            int[] h = pos(o, "h", tokens.size(), where);
            int[] t = pos(o, "t", tokens.size(), where);
            return new RelationExample(tokens, h[0], h[1], t[0], t[1], JsonlReader.string(o, "relation", where));
        }));
    }

    private static int[] pos(JsonObject o, String side, int n, String where) {
        JsonObject e = o.getAsJsonObject(side);
        JsonArray p = e == null ? null : e.getAsJsonArray("pos");
        if (p == null || p.size() != 2) {
            throw new InfuseException(where + ": missing \"" + side + "\":{\"pos\":[start,end]}");
        }
        int s = p.get(0).getAsInt();
        int end = p.get(1).getAsInt();
        if (s == end) {
            throw new InfuseException(where + ": " + side + " pos [" + s + ", " + end + ") is empty, expected start < end");
        }
        if (s < 0 || end < s || end > n) {
            throw new InfuseException(where + ": " + side + " pos [" + s + ", " + end + ") is not inside " + n + " tokens");
        }
        return new int[] {s, end};
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        RelationExample x = examples.get(i);
        StringBuilder text = new StringBuilder();
        int headAt = -1;
        int tailAt = -1;
        for (int k = 0; k <= x.tokens().size(); k++) {
            if (k == x.headEnd()) {
                word(text, HEAD);
            }
            if (k == x.tailEnd()) {
                word(text, TAIL);
            }
            if (k == x.tokens().size()) {
                break;
            }
            if (k == x.headStart()) {
                headAt = word(text, HEAD);
            }
            if (k == x.tailStart()) {
                tailAt = word(text, TAIL);
            }
            word(text, x.tokens().get(k));
        }
        TextRow r = enc.encode(text.toString());
        Encoding e = r.encoding();
        int kept = Rows.kept(e, maxLen);
        int h = -1;
        int t = -1;
        for (int p = 0; p < kept; p++) {
            h = e.starts()[p] == headAt ? p : h;
            t = e.starts()[p] == tailAt ? p : t;
        }
        List<Target> targets = h < 0 || t < 0 ? List.of() // a marker cut off by truncation: no prediction
                : List.of(new Target(new int[][] {{h}, {t}}, 0, labels.id(x.relation())));
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), targets);
    }

    /** Appends a space-separated word and returns where it starts. */
    private static int word(StringBuilder text, String w) {
        if (text.length() > 0) {
            text.append(' ');
        }
        int at = text.length();
        text.append(w);
        return at;
    }
}
