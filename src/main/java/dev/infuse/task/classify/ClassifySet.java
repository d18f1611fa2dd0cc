package dev.infuse.task.classify;

import dev.infuse.task.Encoded;
import dev.infuse.task.JsonlReader;
import dev.infuse.task.LabelScores;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.task.Rows;
import dev.infuse.task.Scores;
import dev.infuse.task.Target;
import dev.infuse.task.TaskSet;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Sentence classification from {@code {"text","label"}}: the label is read from the [CLS] state (position
 * 0) without the pooler, because masked-LM checkpoints often ship no trained pooler.
 */
public final class ClassifySet implements TaskSet {
    /** One example. */
    public record Example(String text, String label) {}

    private final List<Example> examples;

    public ClassifySet(List<Example> examples) {
        this.examples = List.copyOf(examples);
    }

    public static ClassifySet read(Path file) {
        return new ClassifySet(JsonlReader.read(file,
                (o, where) -> new Example(JsonlReader.string(o, "text", where), JsonlReader.string(o, "label", where))));
    }

    @Override
    public int size() {
        return examples.size();
    }

    @Override
    public int items(int i) {
        return 1;
    }

    @Override
    public List<String> labelsInOrder() {
        return new ArrayList<>(new LinkedHashSet<>(examples.stream().map(Example::label).toList()));
    }

    @Override
    public Encoded encode(int i, RowEncoder enc, int maxLen, Labels labels) {
        RowEncoder.Row r = enc.encode(examples.get(i).text());
        Encoding e = r.encoding();
        return new Encoded(Rows.cut(r, maxLen, enc.tokenizer()), List.of(new Target(new int[][] {{0}}, 0, labels.id(examples.get(i).label()))));
    }

    @Override
    public Scores score(List<int[]> predicted, Labels labels) {
        List<String> pred = new ArrayList<>();
        for (int[] p : predicted) {
            pred.add(p[0] < 0 ? null : labels.name(p[0]));
        }
        return LabelScores.of(examples.stream().map(Example::label).toList(), pred, null);
    }
}
