package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs never replace an input or something that is not a plain file, an unwritable target is found before the
 * model runs, empty inputs are not results, pipes are read, and cut words are counted and marked.
 */
class SafeFilesTest {
    @TempDir
    static Path tmp;
    static Path ner;
    static Path test;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        ner = PredictCommandTest.finetuneInto(tmp, TinyRun.model(tmp.resolve("tiny")), "ner", TinyTasks.ner(tmp.resolve("train.conll"), 40, 1));
        test = TinyTasks.ner(tmp.resolve("test.conll"), 12, 2);
    }

    static void oneLine(CliRun r, int code, String line) {
        assertEquals(code, r.code(), r.err());
        assertEquals("infuse: " + line, r.err().strip());
    }

    @Test
    void anOutputThatIsTheInputIsRefusedAndTheInputKept() throws Exception {
        String gold = Files.readString(test);
        oneLine(CliRun.of("predict", "--model", ner.toString(), "--input", test.toString(), "--output", test.toString()), 1,
                "--output " + test + " is the input " + test + "; writing it would destroy the input, choose another file");
        Path viaDots = tmp.resolve("sub/../test.conll");
        Files.createDirectories(tmp.resolve("sub"));
        CliRun e = CliRun.of("eval", "--model", ner.toString(), "--test", test.toString(), "--predictions", viaDots.toString());
        assertEquals(1, e.code(), e.err());
        assertTrue(e.err().contains("is the input"), e.err());
        assertEquals(gold, Files.readString(test), "the gold file is untouched");
    }

    @Test
    void aLinkADeviceOrAnUnwritableFolderIsRefusedBeforeTheModelRuns() throws Exception {
        Path target = Files.writeString(tmp.resolve("kept.txt"), "mine\n");
        Path link = Files.createSymbolicLink(tmp.resolve("link.conll"), target);
        oneLine(CliRun.of("predict", "--model", ner.toString(), "--input", test.toString(), "--output", link.toString()), 1,
                "--output " + link + " is a symbolic link; name the file itself, infuse replaces what it writes");
        assertTrue(Files.isSymbolicLink(link) && Files.readString(target).equals("mine\n"));
        CliRun dev = CliRun.of("predict", "--model", ner.toString(), "--input", test.toString(), "--output", "/dev/null");
        assertEquals(1, dev.code(), dev.err());
        assertTrue(dev.err().contains("/dev/null exists and is not a regular file"), dev.err());
        CliRun proc = CliRun.of("predict", "--model", ner.toString(), "--input", test.toString(), "--output", "/proc/x.conll");
        assertEquals(1, proc.code(), proc.err());
        assertTrue(proc.err().strip().startsWith("infuse: --output /proc/x.conll: cannot create a file in /proc ("), proc.err());
        assertTrue(!proc.err().contains("Exception"), proc.err());
    }

    @Test
    void emptyInputsAreRefusedTheSameWayForEveryFormat() throws Exception {
        for (String name : new String[] {"empty.conll", "empty.txt"}) {
            Path f = Files.writeString(tmp.resolve(name), "");
            CliRun r = CliRun.of("predict", "--model", ner.toString(), "--input", f.toString());
            assertEquals(1, r.code(), name + ": " + r.err());
            assertTrue(r.err().contains(f.toString()) && r.err().lines().count() == 1, r.err());
        }
        Path empty = Files.writeString(tmp.resolve("none.conll"), "\n");
        oneLine(CliRun.of("eval", "--model", ner.toString(), "--test", empty.toString()), 1,
                "--test " + empty + " holds no examples; there is nothing to score");
    }

    @Test
    void aFifoIsReadAsInput() throws Exception {
        Path fifo = tmp.resolve("in.conll");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0);
        String text = Files.readString(test);
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, text, StandardCharsets.UTF_8);
            } catch (java.io.IOException ignored) {
                // The reader's assertion reports it.
            }
        });
        writer.start();
        Path out = tmp.resolve("from-fifo.conll");
        CliRun r = CliRun.of("predict", "--model", ner.toString(), "--input", fifo.toString(), "--output", out.toString());
        writer.join(10_000);
        assertEquals(0, r.code(), r.err());
        CliRun plain = CliRun.of("predict", "--model", ner.toString(), "--input", test.toString());
        assertEquals(plain.out(), Files.readString(out), "the pipe gives what the file gives");
    }

    @Test
    void wordsPastTheLengthAreCountedAndMarkedNotLabelledO() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2 == 0 ? "cat" : "sat").append("\tO\n");
        }
        Path longOne = Files.writeString(tmp.resolve("long.conll"), sb + "\n");
        CliRun r = CliRun.of("predict", "--model", ner.toString(), "--input", longOne.toString(), "--jsonl");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: warning: 10 of 40 words lie past --max-seq-length 32 and were not predicted; they get an empty label"),
                r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        assertEquals(10, o.getAsJsonArray("truncated").size());
        assertEquals(30, o.getAsJsonArray("truncated").get(0).getAsInt());
        assertEquals("", o.getAsJsonArray("labels").get(39).getAsString());
        assertTrue(o.getAsJsonArray("scores").get(39).isJsonNull());
        CliRun ev = CliRun.of("eval", "--model", ner.toString(), "--test", longOne.toString());
        assertTrue(ev.err().contains("10 of 40 words lie past --max-seq-length 32 and were not predicted; they are scored as O"), ev.err());
    }
}
