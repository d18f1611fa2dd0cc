package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.text.MentionMatcher;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code infuse bench matcher}: throughput of {@link MentionMatcher} on seeded synthetic data.
 *
 * <p>Names are built from English-like syllables, one to four words, a third capitalised and one
 * in five with an acronym alias, so prefixes are shared the way real dictionaries share them. The
 * text is sentences of common words in which about one token in twelve starts a dictionary name,
 * and some names appear truncated (partial trie walks that fail), which is the expensive case.
 */
@Command(name = "matcher", description = "Measure mention matching speed (MB/s) and dictionary heap cost.")
final class MatcherBench implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Range(min = 1)
    @Option(names = "--names", defaultValue = "100000", description = "Dictionary size (default ${DEFAULT-VALUE}).")
    int names;

    @Range(min = 1)
    @Option(names = "--megabytes", defaultValue = "50", description = "Text to match, in MB (default ${DEFAULT-VALUE}).")
    int megabytes;

    @Mixin
    SeedOption seed = new SeedOption(7);

    @Mixin
    JsonOption json;

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ter", "on", "ax", "sys", "net", "data", "proc",
        "gra", "phi", "co", "de", "ex", "in", "tra", "ver", "log", "ic", "al", "ment", "ber", "ry", "sta", "um"};
    private static final String[] COMMON = ("the of and to in is a that for it as was with be by on not he this are or "
            + "his from at which but have an they you were her she there been one all we their has would when if so "
            + "no will can more other its about into than them only some could these time two may first then do any "
            + "like my now over such our man me even most made after also did many before must through back years "
            + "where much your way well down should because each just those people how too little state good very "
            + "make world still own see men work long get here between both life being under never day same another "
            + "know while last might us great old year off come since against go came right used take three program "
            + "system language computer network data file memory process software").split(" ");

    @Override
    public Integer call() {
        if (names < 1 || megabytes < 1) {
            throw new InfuseException("--names and --megabytes must be positive, found " + names + " and " + megabytes);
        }
        Random r = new Random(seed.value);
        List<String> dict = new ArrayList<>(names);
        for (int i = 0; i < names; i++) {
            dict.add(name(r));
        }
        long before = usedHeap();
        MentionMatcher.Builder b = MentionMatcher.builder();
        for (int i = 0; i < dict.size(); i++) {
            b.add(dict.get(i), "e" + i, true);
            if (i % 5 == 0) {
                b.add(acronym(dict.get(i)), "e" + i, false);
            }
        }
        MentionMatcher m = b.build();
        long heap = usedHeap() - before;
        String text = text(r, dict, 4 << 20);
        long[] count = new long[1];
        for (int i = 0; i < 3; i++) {
            m.match(text, x -> count[0]++); // warm-up: let the JIT compile the hot loop
        }
        count[0] = 0;
        long target = (long) megabytes << 20;
        long chars = 0;
        long t0 = System.nanoTime();
        while (chars < target) {
            m.match(text, x -> count[0]++);
            chars += text.length();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double mbps = chars / 1048576.0 / secs; // ASCII text: chars == bytes
        PrintWriter out = spec.commandLine().getOut();
        if (json.requested) {
            out.printf(Locale.ROOT, "{\"names\":%d,\"surfaces\":%d,\"megabytes\":%.1f,\"seconds\":%.3f,\"mb_per_s\":%.1f,"
                    + "\"matches\":%d,\"heap_bytes_measured\":%d,\"heap_bytes_estimated\":%d}%n",
                    names, m.surfaceCount(), chars / 1048576.0, secs, mbps, count[0], heap, m.heapBytes());
        } else {
            out.printf(Locale.ROOT, "dictionary: %d names, %d surfaces; heap %.1f MB measured (%.1f MB in arrays)%n",
                    names, m.surfaceCount(), heap / 1048576.0, m.heapBytes() / 1048576.0);
            out.printf(Locale.ROOT, "matched %.1f MB in %.3f s: %.1f MB/s, %d matches%n",
                    chars / 1048576.0, secs, mbps, count[0]);
        }
        out.flush();
        return 0;
    }

    private static String name(Random r) {
        int words = 1 + r.nextInt(r.nextInt(4) + 1);
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            int syl = 2 + r.nextInt(3);
            int start = sb.length();
            for (int s = 0; s < syl; s++) {
                sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            if (r.nextInt(3) == 0) {
                sb.setCharAt(start, Character.toUpperCase(sb.charAt(start)));
            }
        }
        return sb.toString();
    }

    private static String acronym(String name) {
        StringBuilder sb = new StringBuilder();
        for (String w : name.split(" ")) {
            sb.append(Character.toUpperCase(w.charAt(0))).append(Character.toUpperCase(w.charAt(w.length() - 1)));
        }
        return sb.toString();
    }

    private static String text(Random r, List<String> dict, int chars) {
        StringBuilder sb = new StringBuilder(chars + 200);
        int inSentence = 0;
        while (sb.length() < chars) {
            int k = r.nextInt(24);
            String tok;
            if (k < 2) {
                tok = dict.get(r.nextInt(dict.size()));
            } else if (k == 2) {
                String d = dict.get(r.nextInt(dict.size()));
                tok = d.substring(0, Math.max(1, d.length() / 2)); // a prefix that walks the trie, then fails
            } else {
                tok = COMMON[r.nextInt(COMMON.length)];
            }
            if (inSentence == 0) {
                tok = Character.toUpperCase(tok.charAt(0)) + tok.substring(1);
            }
            sb.append(tok);
            if (++inSentence > 8 + r.nextInt(12)) {
                sb.append(r.nextInt(5) == 0 ? ", " : ". ");
                inSentence = 0;
            } else {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
