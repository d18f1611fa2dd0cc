package dev.infuse.inject.zeo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small typed bundle over {@link dev.infuse.train.TinyRun}'s vocabulary. */
final class ZeoFixtures {
    private ZeoFixtures() {}

    static Path bundle(Path dir, boolean typed) throws IOException {
        Files.createDirectories(dir);
        String a = typed ? "animal" : "";
        String t = typed ? "thing" : "";
        Files.write(dir.resolve("entities.jsonl"), List.of(
                "{\"id\":\"cat\",\"name\":\"cat\",\"type\":\"" + a + "\",\"description\":\"the cat sat on the mat\"}",
                "{\"id\":\"dog\",\"name\":\"dog\",\"type\":\"" + a + "\",\"description\":\"a dog ran in the park\"}",
                "{\"id\":\"sun\",\"name\":\"sun\",\"type\":\"" + t + "\",\"description\":\"the sun rises in the east\"}",
                "{\"id\":\"river\",\"name\":\"rivers\",\"aliases\":[\"river\"],\"type\":\"" + t + "\",\"description\":\"cold rivers run\"}",
                "{\"id\":\"mat\",\"name\":\"mat\",\"type\":\"" + t + "\"}"));
        Files.write(dir.resolve("corpus.txt"), List.of("the cat sat on the mat", "a dog ran in the park", "",
                "the sun rises in the east", "cold rivers run to the sea", "birds sing when the sun rises"));
        Files.write(dir.resolve("triples.tsv"), List.of("cat\tsat_on\tmat", "sun\trises_in\triver"));
        return dir;
    }
}
