package dev.infuse.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny separable task files over {@code TinyRun}'s vocabulary: animals (cat, dog, birds) against nature
 * words (sun, sea, rivers, trees), placed at random positions among filler words.
 */
public final class TinyTasks {
    static final List<String> ANIMALS = List.of("cat", "dog", "birds");
    static final List<String> NATURE = List.of("sun", "sea", "rivers", "trees");
    static final List<String> FILLER = List.of("the", "a", "on", "in", "sat", "ran", "red", "tall", "cold", "park");

    private TinyTasks() {}

    /** NER sentences: 4 to 7 words, one or two entities. */
    public static Path ner(Path file, int sentences, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            int n = 4 + r.nextInt(4);
            for (int w = 0; w < n; w++) {
                double x = r.nextDouble();
                if (x < 0.2) {
                    s.append(ANIMALS.get(r.nextInt(ANIMALS.size()))).append("\tB-animal\n");
                } else if (x < 0.4) {
                    s.append(NATURE.get(r.nextInt(NATURE.size()))).append("\tB-nature\n");
                } else {
                    s.append(FILLER.get(r.nextInt(FILLER.size()))).append("\tO\n");
                }
            }
            s.append('\n');
        }
        Files.writeString(file, s);
        return file;
    }

    /** Typing lines: the label of the one animal or nature word in a sentence of fillers; a bucket per word kind. */
    public static Path typing(Path file, int lines, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            boolean animal = r.nextBoolean();
            String word = animal ? ANIMALS.get(r.nextInt(ANIMALS.size())) : NATURE.get(r.nextInt(NATURE.size()));
            String before = FILLER.get(r.nextInt(FILLER.size())) + " " + FILLER.get(r.nextInt(FILLER.size())) + " ";
            String text = before + word + " " + FILLER.get(r.nextInt(FILLER.size()));
            out.add("{\"text\":\"" + text + "\",\"start\":" + before.length() + ",\"end\":" + (before.length() + word.length())
                    + ",\"label\":\"" + (animal ? "animal" : "nature") + "\",\"entity\":\"" + word + "\",\"bucket\":\""
                    + (i % 2 == 0 ? "even" : "odd") + "\"}");
        }
        Files.write(file, out);
        return file;
    }

    /** Wiki80-style lines: the relation is the kinds of head and tail, e.g. "animal-nature". */
    public static Path relation(Path file, int lines, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            List<String> toks = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                toks.add("\"" + FILLER.get(r.nextInt(FILLER.size())) + "\"");
            }
            boolean ha = r.nextBoolean();
            boolean ta = r.nextBoolean();
            int h = r.nextInt(2);
            int t = 3 + r.nextInt(2);
            toks.set(h, "\"" + (ha ? ANIMALS.get(r.nextInt(3)) : NATURE.get(r.nextInt(4))) + "\"");
            toks.set(t, "\"" + (ta ? ANIMALS.get(r.nextInt(3)) : NATURE.get(r.nextInt(4))) + "\"");
            out.add("{\"token\":[" + String.join(",", toks) + "],\"h\":{\"name\":\"x\",\"id\":\"1\",\"pos\":[" + h + "," + (h + 1)
                    + "]},\"t\":{\"name\":\"y\",\"id\":\"2\",\"pos\":[" + t + "," + (t + 1) + "]},\"relation\":\""
                    + (ha ? "animal" : "nature") + "-" + (ta ? "animal" : "nature") + "\"}");
        }
        Files.write(file, out);
        return file;
    }

    /** Sentence lines labelled by whether they mention an animal. */
    public static Path classify(Path file, int lines, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            boolean animal = r.nextBoolean();
            String w = animal ? ANIMALS.get(r.nextInt(3)) : NATURE.get(r.nextInt(4));
            out.add("{\"text\":\"" + FILLER.get(r.nextInt(FILLER.size())) + " " + w + " " + FILLER.get(r.nextInt(FILLER.size()))
                    + "\",\"label\":\"" + (animal ? "yes" : "no") + "\"}");
        }
        Files.write(file, out);
        return file;
    }
}
