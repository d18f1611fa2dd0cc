package dev.infuse.cli;

import static dev.infuse.cli.CliErrorsTest.oneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain --method mlm+kepler, kepler eval and kepler split from the command line, and their bad input in one line each. */
class KeplerCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;
    static Path triples;
    static Path descriptions;
    static Path run;

    @BeforeAll
    static void setUp() throws Exception {
        dev.infuse.train.TinyRun.oneThread();
        model = dev.infuse.train.TinyRun.model(tmp.resolve("tiny"));
        corpus = dev.infuse.train.TinyRun.corpus(tmp.resolve("corpus.txt"));
        triples = Files.write(tmp.resolve("triples.tsv"), List.of("cat\tsat_on\tmat", "dog\tran_in\tpark", "sun\trises_in\teast",
                "rivers\trun_to\tsea", "birds\tsing_when\tsun", "apples\tgrow_on\ttrees", "cat\tsat_on\tpark"));
        descriptions = Files.write(tmp.resolve("descriptions.tsv"), List.of("cat\tthe cat sat on the mat", "mat\tthe mat", "dog\ta dog ran in the park",
                "park\tthe park", "sun\tthe sun rises in the east", "east\tthe east", "rivers\tcold rivers run to the sea", "sea\tthe sea",
                "birds\tbirds sing when the sun rises", "apples\tred apples grow on tall trees", "trees\ttall trees"));
        run = tmp.resolve("run");
        CliRun r = CliRun.of(pretrain(run, triples, descriptions).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("infuse: kepler: 7 triples, 11 entities, 6 relations"), r.err());
    }

    static List<String> pretrain(Path out, Path t, Path d) {
        return new ArrayList<>(List.of("pretrain", "--model", model.toString(), "--corpus", corpus.toString(), "--method", "mlm+kepler",
                "--kepler-triples", t.toString(), "--kepler-descriptions", d.toString(), "--kepler-description-tokens", "8", "--max-steps", "3",
                "--batch-size", "2", "--max-seq-length", "12", "--threads", String.valueOf(dev.infuse.engine.Engines.threads()), "--output-dir", out.toString()));
    }

    @Test
    void evalRanksEveryTripleBothWaysAmongTheDescribedEntities() {
        CliRun r = CliRun.of("kepler", "eval", "--model", run.toString(), "--test", triples.toString(), "--known", triples.toString(),
                "--descriptions", descriptions.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(14, o.get("rankings").getAsInt(), "7 triples, both directions");
        assertEquals(11, o.get("entities").getAsInt());
        double mrr = o.get("mrr").getAsDouble();
        assertTrue(mrr > 0 && mrr <= 1, r.out());
        assertTrue(o.get("hits@10").getAsDouble() >= o.get("hits@1").getAsDouble(), r.out());
        assertTrue(r.err().contains("encoded 11 entity descriptions"), r.err());

        Path few = tmp.resolve("two-triples.tsv");
        try {
            Files.write(few, List.of("cat\tsat_on\tmat", "dog\tran_in\tpark"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRun two = CliRun.of("kepler", "eval", "--model", run.toString(), "--test", triples.toString(), few.toString(), "--known", triples.toString(),
                "--descriptions", descriptions.toString(), "--json");
        assertEquals(0, two.code(), two.err());
        JsonObject both = JsonParser.parseString(two.out()).getAsJsonObject();
        assertEquals(o, both.getAsJsonObject(triples.toString()), "the same numbers when the entities serve two test files");
        assertEquals(4, both.getAsJsonObject(few.toString()).get("rankings").getAsInt());
        assertEquals(1, two.err().split("encoded 11 entity descriptions", -1).length - 1, "encoded once: " + two.err());
    }

    @Test
    void aTriplesLineWithTwoFieldsIsOneLine() throws Exception {
        Path bad = Files.write(tmp.resolve("two-fields.tsv"), List.of("cat\tsat_on\tmat", "dog\tran_in"));
        oneLineError(CliRun.of(pretrain(tmp.resolve("bad1"), bad, descriptions).toArray(String[]::new)),
                bad + ":2: expected head<TAB>relation<TAB>tail, found 2 fields");
    }

    @Test
    void anEntityWithNoDescriptionIsNamed() throws Exception {
        Path more = Files.write(tmp.resolve("undescribed.tsv"), List.of("cat\tsat_on\tmat", "cat\tchases\tmouse"));
        oneLineError(CliRun.of(pretrain(tmp.resolve("bad2"), more, descriptions).toArray(String[]::new)),
                more + ":2: the entity \"mouse\" has no description in " + descriptions);
    }

    @Test
    void aRelationTheRunNeverLearnedIsOneLineAtEval() throws Exception {
        Path test = Files.write(tmp.resolve("unknown-relation.tsv"), List.of("cat\tsat_on\tmat", "sun\tsets_in\tsea"));
        oneLineError(CliRun.of("kepler", "eval", "--model", run.toString(), "--test", test.toString(), "--known", triples.toString(),
                "--descriptions", descriptions.toString()), test + ":2: unknown relation \"sets_in\": the run " + run + " has no vector for it");
    }

    @Test
    void aGraphWithoutDescriptionsIsRefusedBeforeTraining() {
        List<String> args = pretrain(tmp.resolve("bad3"), triples, descriptions);
        int i = args.indexOf("--kepler-descriptions");
        args.remove(i + 1);
        args.remove(i);
        oneLineError(CliRun.of(args.toArray(String[]::new)), "--kepler-triples " + triples + " needs --kepler-descriptions wordnet|FILE");
    }

    @Test
    void theSplitHoldsEntitiesOutOfTrainingTheSameWayEveryTime() throws Exception {
        Path test = Files.write(tmp.resolve("split-test.tsv"), List.of("cat\tsat_on\tpark", "sun\trises_in\tsea"));
        Path a = tmp.resolve("split-a");
        Path b = tmp.resolve("split-b");
        for (Path out : List.of(a, b)) {
            CliRun r = CliRun.of("kepler", "split", "--train", triples.toString(), "--test", test.toString(), "--held-out", "1", "--seed", "3",
                    "--output", out.toString());
            assertEquals(0, r.code(), r.err());
        }
        for (String f : List.of("train.txt", "test-transductive.txt", "test-inductive.txt", "held-out.txt")) {
            assertEquals(-1L, Files.mismatch(a.resolve(f), b.resolve(f)), f);
        }
        String held = Files.readString(a.resolve("held-out.txt")).strip();
        for (String line : Files.readAllLines(a.resolve("train.txt"))) {
            String[] f = line.split("\t");
            assertTrue(!f[0].equals(held) && !f[2].equals(held), held + " is held out but trains in: " + line);
        }
        List<String> inductive = Files.readAllLines(a.resolve("test-inductive.txt"));
        assertTrue(!inductive.isEmpty() && inductive.stream().allMatch(l -> List.of(l.split("\t")).contains(held)), inductive.toString());
        oneLineError(CliRun.of("kepler", "split", "--train", triples.toString(), "--test", test.toString(), "--held-out", "4", "--output",
                tmp.resolve("split-c").toString()), "--held-out must be between 1 and 3 (the test triples name 4 entities), found 4");
    }
}
