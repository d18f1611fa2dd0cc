package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse vocab extend} end to end on a tiny model, and each user error as one line. */
class VocabCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        corpus = tmp.resolve("corpus.txt");
        // "cats" and "trees" split (cat ##s, tree... not in the tiny vocabulary: [UNK]); "suns" and "cats" are cat/sun + ##s.
        Files.write(corpus, List.of("the cats sat on the mat", "suns rise", "the cats ran"));
    }

    static String[] args(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("vocab", "extend", "--model", model.toString(), "--corpus", corpus.toString(),
                "--output", out.toString()));
        a.addAll(List.of(extra));
        if (!a.contains("--min-count")) {
            a.addAll(List.of("--min-count", "1"));
        }
        if (!a.contains("--max-new")) {
            a.addAll(List.of("--max-new", "5"));
        }
        return a.toArray(String[]::new);
    }

    @Test
    void extendsPrintsPiecesPerWordAndRefusesToReplaceWithoutOverwrite() {
        Path out = tmp.resolve("ok");
        CliRun r = CliRun.of(args(out));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: added 2 words (0 from entity names)"), r.err());
        assertTrue(r.err().contains("infuse: corpus pieces per word 1.2727 -> 1.0000 (11 words)"), r.err());
        assertTrue(Files.exists(out.resolve("vocab_extension.json")) && Files.exists(out.resolve("model.safetensors")));
        assertEquals(0, CliRun.of("fill-mask", "--model", out.toString(), "the [MASK] sat").code());

        CliRun again = CliRun.of(args(out));
        PretrainCommandTest.assertError(again, "--output " + out + " is not empty (config.json, model.safetensors, provenance.json, special_tokens_map.json,"
                + " tokenizer.json, tokenizer_config.json, vocab.txt, vocab_extension.json); choose an empty directory or pass --overwrite");
        CliRun replaced = CliRun.of(args(out, "--overwrite", "--max-new", "1"));
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(replaced.err().contains("infuse: added 1 words"), replaced.err());
    }

    static void oneLine(CliRun r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        assertEquals("infuse: " + expected, r.err().strip());
    }

    @Test
    void badInputIsOneLineEach() throws Exception {
        oneLine(CliRun.of(args(tmp.resolve("e1"), "--max-new", "0")), 2, "--max-new must be at least 1, found 0");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        oneLine(CliRun.of("vocab", "extend", "--model", model.toString(), "--corpus", empty.toString(), "--max-new", "3", "--output",
                tmp.resolve("e2").toString()), 1, "corpus " + empty + " has no words to count");
        oneLine(CliRun.of("vocab", "extend", "--model", tmp.resolve("nowhere").toString(), "--corpus", corpus.toString(), "--max-new", "3",
                "--output", tmp.resolve("e3").toString()), 1, "model \"" + tmp.resolve("nowhere") + "\" is neither a directory nor a built-in name"
                        + " (bert-base-uncased, bert-base-multilingual-cased); infuse does not download from the Hugging Face hub");
        PretrainCommandTest.assertError(CliRun.of(args(tmp.resolve("e4"), "--min-count", "9")),
                "nothing to add: no entity word splits, and no corpus word with at least 9 occurrences splits into pieces");
        oneLine(CliRun.of(args(model)), 1, "--output " + model + " is not empty (config.json, model.safetensors, provenance.json, special_tokens_map.json,"
                + " tokenizer.json, tokenizer_config.json, vocab.txt); choose an empty directory or pass --overwrite");
        oneLine(CliRun.of(args(model, "--overwrite")), 1, "--output " + model + " is the --model directory; choose another directory");
        for (String e : List.of("e1", "e2", "e3", "e4")) {
            assertFalse(Files.exists(tmp.resolve(e)), e + " was not created");
        }
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no hidden work folder is left");
        }
    }
}
