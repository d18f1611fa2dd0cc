package dev.infuse.task.classify;

import dev.infuse.task.Encoded;
import dev.infuse.task.JsonlReader;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.SingleLabelSet;
import dev.infuse.task.Target;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.List;

/**
 * Sentence classification from {@code {"text","label"}}: the label is read from the [CLS] state (position
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

    public static ClassifySet read(Path file) {
        return new ClassifySet(JsonlReader.read(file,
                (o, where) -> new Example(JsonlReader.string(o, "text", where), JsonlReader.string(o, "label", where))));
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        RowEncoder.Row r = enc.encode(examples.get(i).text());
        Encoding e = r.encoding();
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), List.of(new Target(new int[][] {{0}}, 0, labels.id(examples.get(i).label()))));
    }
}
