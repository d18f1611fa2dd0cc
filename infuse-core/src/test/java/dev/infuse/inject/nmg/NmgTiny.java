package dev.infuse.inject.nmg;

import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** What an NMG test trains on: TinyRun's model, a bundle of short sentences over its words, TinyTasks' typing files. */
public final class NmgTiny {
    private NmgTiny() {}

    /** A bundle whose corpus has 60 sentences, 6 to a document. */
    public static Path bundle(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("entities.jsonl"),
                "{\"id\":\"e1\",\"name\":\"cat\",\"aliases\":[],\"type\":\"animal\",\"description\":\"an animal\"}\n");
        List<String> words = TinyRun.words().stream().filter(w -> !w.startsWith("##")).toList();
        Random r = new Random(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 6 + r.nextInt(6); w++) {
                s.append(w == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
            }
            lines.add(s.toString());
            if (i % 6 == 5) {
                lines.add("");
            }
        }
        Files.write(dir.resolve("corpus.txt"), lines);
        return dir;
    }

    public static Path typing(Path file, int lines, long seed) throws IOException {
        return TinyTasks.typing(file, lines, seed);
    }
}
