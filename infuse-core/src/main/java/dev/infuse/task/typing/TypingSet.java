package dev.infuse.task.typing;

import com.google.gson.JsonElement;
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
 * Entity typing by span pooling: the mention's representation is the mean of the states of every word
 * piece that overlaps it, fed to a linear classifier. Reads {@code {"text","start","end","label"}};
 * other fields are ignored except {@code "bucket"}, kept for per-bucket scores, and {@code "entity"}, the
 * linked entity id (a comparison builds PELT rows for these).
 */
public final class TypingSet extends SingleLabelSet<TypingExample> {
    public TypingSet(List<TypingExample> examples) {
        super(examples);
    }

    @Override
    protected String label(TypingExample x) {
        return x.label();
    }

    @Override
    protected Map<String, Object> fields(TypingExample x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", x.text());
        m.put("start", x.start());
        m.put("end", x.end());
        return m;
    }

    @Override
    protected String bucket(TypingExample x) {
        return x.bucket();
    }

    public static TypingSet read(Path file) {
        return new TypingSet(JsonlReader.read(file, (o, where) -> {
            String text = JsonlReader.string(o, "text", where);
            int start = JsonlReader.integer(o, "start", where);
            int end = JsonlReader.integer(o, "end", where);
            if (start == end) {
                throw new InfuseException(where + ": span [" + start + ", " + end + ") is empty, expected start < end");
            }
            if (start < 0 || end < start || end > text.length()) {
                throw new InfuseException(where + ": span [" + start + ", " + end + ") is not inside a text of " + text.length() + " chars");
            }
            JsonElement b = o.get("bucket");
            String bucket = b == null || b.isJsonNull() ? null : b.getAsString();
            JsonElement id = o.get("entity");
            String entity = id == null || id.isJsonNull() ? null : id.getAsString();
            return new TypingExample(text, start, end, JsonlReader.string(o, "label", where), bucket, entity);
        }));
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        TypingExample x = examples.get(i);
        TextRow r = enc.encode(x.text());
        Encoding e = r.encoding();
        int kept = Rows.kept(e, maxLen);
        List<Integer> span = new ArrayList<>();
        for (int p = 0; p < kept; p++) {
            if (!e.special()[p] && e.starts()[p] < x.end() && e.ends()[p] > x.start()) {
                span.add(p);
            }
        }
        List<Target> targets = span.isEmpty() ? List.of() // mention cut off (or lost by the tokenizer): no prediction
                : List.of(new Target(new int[][] {span.stream().mapToInt(Integer::intValue).toArray()}, 0, labels.id(x.label())));
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), targets);
    }
}
