package dev.infuse.bench;

import dev.infuse.InfuseException;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import dev.infuse.task.ner.NerSet;
import dev.infuse.task.typing.TypingSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where a comparison finds its task data, and the fixed subsets it uses. The layout is the bundle's
 * {@code tasks/} convention: {@code probes.jsonl} (or {@code probe/test.jsonl}), {@code typing/{train,dev,test}.jsonl}
 * and {@code ner/{train,dev,test}.conll}, each optionally gzipped.
 */
public final class TaskFiles {
    public static final List<String> TASKS = List.of("probe", "typing", "ner");

    private final Path dir;

    private TaskFiles(Path dir) {
        this.dir = dir;
    }

    /** {@code explicit}, else the bundle's {@code tasks/}, else a {@code benchmark/} beside the bundle (FOLDOC's layout). */
    public static TaskFiles locate(Path bundle, Path explicit) {
        if (!Files.isDirectory(bundle)) {
            throw new InfuseException("--domain " + bundle + " is not a directory");
        }
        if (explicit != null) {
            if (!Files.isDirectory(explicit)) {
                throw new InfuseException("--tasks-dir " + explicit + " is not a directory");
            }
            return new TaskFiles(explicit);
        }
        for (Path p : List.of(bundle.resolve("tasks"), bundle.toAbsolutePath().getParent().resolve("benchmark"))) {
            if (Files.isDirectory(p)) {
                return new TaskFiles(p);
            }
        }
        throw new InfuseException("no task files for " + bundle + ": expected " + bundle.resolve("tasks") + " or a benchmark/ beside it; pass --tasks-dir");
    }

    public Path dir() {
        return dir;
    }

    public Path probes() {
        return find("probes.jsonl", "probe/test.jsonl");
    }

    /** @param split train, dev or test */
    public Path split(String task, String split) {
        return find(task + "/" + split + (task.equals("ner") ? ".conll" : ".jsonl"));
    }

    /** Fails before any work starts when a requested task lacks a file. */
    public void check(List<String> tasks) {
        for (String t : tasks) {
            if (!TASKS.contains(t)) {
                throw new InfuseException("unknown task \"" + t + "\" in --tasks: expected " + String.join(", ", TASKS));
            }
            if (t.equals("probe")) {
                probes();
            } else {
                for (String s : List.of("train", "dev", "test")) {
                    split(t, s);
                }
            }
        }
    }

    /** A split cut to at most {@code n} examples (0: all), drawn by a fixed shuffle so every method sees the same ones. */
    public TaskSet read(String task, String split, int n) {
        TaskSet all = Tasks.read(task, split(task, split));
        if (n == 0 || n >= all.size()) {
            return all;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(split.hashCode()));
        List<Integer> kept = new ArrayList<>(idx.subList(0, n));
        Collections.sort(kept);
        if (all instanceof TypingSet t) {
            return new TypingSet(kept.stream().map(t.examples()::get).toList());
        }
        if (all instanceof NerSet s) {
            return s.withSentences(kept.stream().map(s.sentences()::get).toList());
        }
        throw new IllegalStateException("no subset for task " + task);
    }

    private Path find(String... names) {
        for (String n : names) {
            for (String suffix : List.of("", ".gz")) {
                Path p = dir.resolve(n + suffix);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        throw new InfuseException("no " + names[0] + " (or .gz) in " + dir);
    }
}
