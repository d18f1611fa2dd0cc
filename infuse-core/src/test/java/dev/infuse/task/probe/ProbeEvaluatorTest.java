package dev.infuse.task.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.FillMask;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranks from the probe evaluator must equal ranks computed independently from fill-mask's full candidate list. */
class ProbeEvaluatorTest {
    @TempDir
    static Path tmp;
    static MaskedLm lm;
    static final List<String> WORDS = List.of("the", "cat", "sat", "on", "mat", "dog", "ran", "far", "red", "blue", "is", "a", ".");

    @BeforeAll
    static void tiny() throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(WORDS);
        vocab.add("##s");
        Path v = tmp.resolve("vocab.txt");
        Files.write(v, vocab);
        lm = new MaskedLm(BertModel.random(BertConfig.tiny(vocab.size()), 4), WordPieceTokenizer.load(v), "tiny");
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    static String probe(String sub, String obj, String sentence, String relation, String bucket) {
        return "{\"sub_label\":\"" + sub + "\",\"obj_label\":\"" + obj + "\",\"masked_sentences\":[\"" + sentence
                + "\"],\"relation\":\"" + relation + "\",\"bucket\":\"" + bucket + "\",\"extra\":1}";
    }

    @Test
    void ranksAgreeWithAnIndependentCountOverFillMaskLogits() throws IOException {
        List<String> lines = new ArrayList<>();
        List<String[]> cases = new ArrayList<>();
        for (String obj : List.of("cat", "dog", "mat", "red", "blue", "ran")) {
            for (String s : List.of("the [MASK] sat on a mat .", "a [MASK] is red .", "the dog ran far [MASK] .")) {
                cases.add(new String[] {obj, s});
                lines.add(probe("the", obj, s, obj.length() == 3 ? "r3" : "r4", s.startsWith("the") ? "rare" : "frequent"));
            }
        }
        Path f = tmp.resolve("probes.jsonl");
        Files.write(f, lines);
        ProbeScores s = new ProbeEvaluator(lm, ProbeEvaluator.plainEncoder(lm.tokenizer()), new ProbeEvaluator.Options(5, false)).evaluate(f);
        double p1 = 0;
        double p10 = 0;
        double mrr = 0;
        for (String[] c : cases) {
            List<FillMask.Candidate> all = FillMask.predict(lm, List.of(c[1]), 100).get(0).masks().get(0).top();
            // Specials are never answers: rank among the rest.
            List<String> order = all.stream().map(FillMask.Candidate::token).filter(t -> !t.startsWith("[")).toList();
            int rank = order.indexOf(c[0]) + 1;
            p1 += rank == 1 ? 1 : 0;
            p10 += rank <= 10 ? 1 : 0;
            mrr += 1.0 / rank;
        }
        int n = cases.size();
        assertEquals(n, s.overall().count());
        assertEquals(p1 / n, s.overall().pAt1(), 1e-9);
        assertEquals(p10 / n, s.overall().pAt10(), 1e-9);
        assertEquals(mrr / n, s.overall().mrr(), 1e-9);
        assertEquals(12, s.byBucket().get("rare").count());
        assertEquals(6, s.byBucket().get("frequent").count());
        assertEquals(s.overall().count(), s.byRelation().values().stream().mapToLong(ProbeScores.Metrics::count).sum());
    }

    @Test
    void unanswerableProbesAreCountedNotDropped() throws IOException {
        Path f = tmp.resolve("skips.jsonl");
        Files.write(f, List.of(probe("x", "cat dog", "the [MASK] .", "r", ""), probe("x", "cats", "the [MASK] .", "r", ""),
                probe("x", "cat", "the [MASK] [MASK] .", "r", ""), probe("x", "cat", "the [MASK] .", "r", "")));
        ProbeScores s = new ProbeEvaluator(lm, ProbeEvaluator.plainEncoder(lm.tokenizer()), new ProbeEvaluator.Options(2, true)).evaluate(f);
        assertEquals(1, s.overall().count());
        assertEquals(2, s.skipped().get("answer is not one vocabulary token"));
        assertEquals(1, s.skipped().get("sentence does not encode to exactly one mask"));
        assertEquals(3, s.toJson().get("skipped"));
    }

    @Test
    void aNanScoreIsAMissAndIsCounted() throws IOException {
        Path v = tmp.resolve("vocab.txt");
        WordPieceTokenizer tok = WordPieceTokenizer.load(v);
        try (MaskedLm broken = new MaskedLm(BertModel.random(BertConfig.tiny(WORDS.size() + 6), 4), tok, "broken")) {
            // One NaN in the output bias: that word's logit is NaN at every mask. Every comparison with NaN is
            // false, so before the fix nothing ranked above it and the probe counted as a hit at rank 1.
            ai.djl.ndarray.NDArray bias = broken.model().parameter("cls.predictions.bias");
            float[] b = bias.toFloatArray();
            b[tok.tokenToId("cat")] = Float.NaN;
            bias.set(b);
            Path f = tmp.resolve("nan.jsonl");
            Files.write(f, List.of(probe("x", "cat", "the [MASK] sat .", "r1", "rare"), probe("x", "dog", "the [MASK] ran .", "r2", "")));
            ProbeScores s = new ProbeEvaluator(broken, ProbeEvaluator.plainEncoder(tok), new ProbeEvaluator.Options(2, true)).evaluate(f);
            assertEquals(2, s.overall().count());
            assertEquals(2, s.overall().nanPredictions());
            assertEquals(0.0, s.overall().pAt1());
            assertEquals(0.0, s.overall().pAt10());
            assertEquals(0.0, s.overall().mrr());
            assertEquals(1, s.byBucket().get("rare").nanPredictions());
            assertEquals(2L, ((java.util.Map<?, ?>) s.toJson().get("overall")).get("nan_predictions"));
            assertEquals("warning: 2 of 2 predictions held NaN scores and were counted as misses", s.nanNote());
        }
    }

    @Test
    void aCandidateWithANanScoreMakesTheRankUndefined() {
        boolean[] candidate = {true, true, false};
        assertEquals(2, ProbeEvaluator.rank(new float[] {1f, 2f, Float.NaN}, 0, 3, 0, candidate)); // NaN outside the candidates
        assertEquals(ProbeScores.UNRANKED, ProbeEvaluator.rank(new float[] {1f, Float.NaN, 0f}, 0, 3, 0, candidate));
        assertEquals(ProbeScores.UNRANKED, ProbeEvaluator.rank(new float[] {Float.NaN, 2f, 0f}, 0, 3, 0, candidate));
    }

    @Test
    void malformedLinesNameTheirLine() throws IOException {
        Path f = tmp.resolve("bad.jsonl");
        Files.write(f, List.of(probe("x", "cat", "the [MASK] .", "r", ""), "{not json", ""));
        InfuseException e = assertThrows(InfuseException.class, () -> LamaReader.read(f));
        assertEquals(f + ":2: malformed JSON line", e.getMessage());
        Files.write(f, List.of("{\"obj_label\":\"cat\",\"masked_sentences\":[\"the [MASK]\"]}"));
        e = assertThrows(InfuseException.class, () -> LamaReader.read(f));
        assertEquals(f + ":1: missing \"sub_label\"", e.getMessage());
        e = assertThrows(InfuseException.class, () -> LamaReader.read(tmp.resolve("none.jsonl")));
        assertTrue(e.getMessage().startsWith("probe file not found"));
    }
}
