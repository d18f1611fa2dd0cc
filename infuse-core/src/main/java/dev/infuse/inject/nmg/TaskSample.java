package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import dev.infuse.task.TaskSet;
import dev.infuse.task.classify.ClassifySet;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.relation.RelationSet;
import dev.infuse.task.typing.TypingSet;
import java.util.List;
import java.util.Random;

/** An episode's draw of task examples: a few hundred of a split, so each agent's score costs seconds. */
final class TaskSample {
    private TaskSample() {}

    /** {@code n} examples of {@code set} without replacement (all of them if it has fewer), in file order. */
    static TaskSet draw(TaskSet set, int n, Random rng) {
        int[] idx = Draws.distinct(set.size(), n, rng);
        List<Integer> kept = java.util.Arrays.stream(idx).boxed().toList();
        if (set instanceof TypingSet t) {
            return new TypingSet(kept.stream().map(t.examples()::get).toList());
        }
        if (set instanceof ClassifySet c) {
            return new ClassifySet(kept.stream().map(c.examples()::get).toList());
        }
        if (set instanceof RelationSet r) {
            return new RelationSet(kept.stream().map(r.examples()::get).toList());
        }
        if (set instanceof NerSet s) {
            return s.withSentences(kept.stream().map(s.sentences()::get).toList());
        }
        throw new InfuseException("nmg train cannot sample this task's examples (" + set.getClass().getSimpleName() + ")");
    }
}
