package dev.infuse.task.classify;

import dev.infuse.InfuseException;
import dev.infuse.inject.TextRow;
import dev.infuse.task.Encoded;
import dev.infuse.task.JsonlReader;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.SingleLabelSet;
import dev.infuse.task.Target;
import dev.infuse.task.TsvReader;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sentence classification from {@code {"text","label"}} (or K-BERT's tsv, see {@link #read}): the label is read from the [CLS] state (position
 * 0) without the pooler, because masked-LM checkpoints often ship no trained pooler.
 */
public final class ClassifySet extends SingleLabelSet<ClassifySet.Example> {
    /** One example. */
    public record Example(String text, String label) {}

    public ClassifySet(List<Example> examples) {
        super(examples);
    }

    @Override
    protected String label(Example x) {
        return x.label();
    }

    @Override
    protected Map<String, Object> fields(Example x) {
        return Map.of("text", x.text());
    }

    /**
     * Reads {@code {"text","label"}} jsonl, or K-BERT's classification tsv ({@code label<TAB>text_a} with that
     * header) when the file is named {@code *.tsv[.gz]}.
     */
    public static ClassifySet read(Path file) {
        if (TsvReader.named(file)) {
            return new ClassifySet(TsvReader.read(file, List.of("label", "text_a")).stream().map(r -> {
                if (r.get("label").isEmpty() || r.get("text_a").isEmpty()) {
                    throw new InfuseException(r.where() + ": empty label or text_a");
                }
                return new Example(r.get("text_a"), r.get("label"));
            }).toList());
        }
        return new ClassifySet(JsonlReader.read(file,
                (o, where) -> new Example(JsonlReader.string(o, "text", where), JsonlReader.string(o, "label", where))));
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        TextRow r = enc.encode(examples.get(i).text());
        Encoding e = r.encoding();
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), List.of(new Target(new int[][] {{0}}, 0, labels.id(examples.get(i).label()))));
    }
}
