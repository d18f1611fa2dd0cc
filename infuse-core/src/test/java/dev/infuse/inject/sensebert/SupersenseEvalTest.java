package dev.infuse.inject.sensebert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation's items come from WordNet's examples, and its scores from the run's own head. */
class SupersenseEvalTest {
    @TempDir
    static Path tmp;

    static WordNet wn;
    static Path run;

    @BeforeAll
    static void setUp() {
        dev.infuse.train.TinyRun.oneThread();
        wn = WordNet.load();
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(List.of("i", "can", "breathe", "better", "when", "the", "air", "is", "clean", "patient", "respiring", "."));
        WordPieceTokenizer tok = new WordPieceTokenizer(vocab, true, true, "tiny");
        run = tmp.resolve("run");
        try (MaskedLm lm = new MaskedLm(BertModel.random(BertConfig.tiny(tok.vocabSize()), 1), tok, "tiny")) {
            lm.save(run, Provenance.of("model"));
        }
    }

    @Test
    void itemsAreTheSynsetsOwnWordsInTheirExamples() {
        try (MaskedLm lm = MaskedLm.load(run.toString())) {
            List<SupersenseEval.Item> items = SupersenseEval.items(lm, wn, VocabSenses.of(lm.tokenizer(), wn));
            int body = wn.supersenseNames().indexOf("verb.body");
            SupersenseEval.Item breathe = items.stream().filter(i -> i.sentence().equals("I can breathe better when the air is clean"))
                    .findFirst().orElseThrow(() -> new AssertionError(items.toString()));
            assertEquals("breathe", breathe.sentence().substring(breathe.start(), breathe.end()));
            assertEquals(body, breathe.gold());
            assertEquals('v', breathe.pos());
            assertTrue(items.stream().allMatch(i -> java.util.Arrays.stream(i.allowed()).anyMatch(a -> a == i.gold())),
                    "the gold sense is always among the word's allowed ones");
        }
    }

    @Test
    void aHeadThatAlwaysSaysVerbBodyScoresExactlyTheItemsWhoseGoldItIs() {
        int senses = wn.supersenseNames().size();
        int body = wn.supersenseNames().indexOf("verb.body");
        float[] bias = new float[senses];
        bias[body] = 5f;
        Safetensors.write(run.resolve("modules.safetensors"), Map.of(
                SenseBertObjective.WEIGHT, new HostTensor(new long[] {senses, 32}, FloatBuffer.wrap(new float[senses * 32])),
                SenseBertObjective.BIAS, new HostTensor(new long[] {senses}, FloatBuffer.wrap(bias))));
        try (MaskedLm lm = MaskedLm.load(run.toString())) {
            List<SupersenseEval.Item> items = SupersenseEval.items(lm, wn, VocabSenses.of(lm.tokenizer(), wn));
            double expected = items.stream().filter(i -> i.gold() == body).count() / (double) items.size();
            SupersenseEval.Result r = SupersenseEval.run(lm, run, wn, 10_000, 1, 4);
            assertEquals(items.size(), r.items());
            assertTrue(expected > 0 && expected < 1, "a mix of golds: " + expected);
            assertEquals(expected, r.accuracy().get("all"), 1e-9);
        }
    }

    @Test
    void aRunWithoutAHeadIsOneClearError() {
        try (MaskedLm lm = MaskedLm.load(run.toString())) {
            InfuseException e = assertThrows(InfuseException.class, () -> SupersenseEval.run(lm, tmp, wn, 10, 1, 4));
            assertTrue(e.getMessage().contains("has no modules.safetensors"), e.getMessage());
        }
    }
}
