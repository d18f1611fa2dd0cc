package dev.infuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import dev.infuse.text.Tokenizers;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in bert-base-multilingual-cased, converted once from its Maven artifact: a cased tokenizer that keeps
 * accents and splits Chinese characters, checked against the vocabulary file itself, and one fill-mask forward
 * pass each on an English and a Chinese sentence.
 */
class MultilingualModelTest {
    static Path dir;
    static List<String> vocab;

    @BeforeAll
    static void convert() throws Exception {
        dir = ModelStore.resolve(ModelStore.BERT_BASE_MULTILINGUAL_CASED);
        vocab = Files.readAllLines(dir.resolve("vocab.txt"));
    }

    static List<String> pieces(Tokenizer tok, String text) {
        Encoding e = tok.encode(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            // Every id is the token's line in vocab.txt, counted from 0.
            assertEquals(vocab.get(e.ids()[i]), tok.idToToken(e.ids()[i]));
            out.add(vocab.get(e.ids()[i]));
        }
        return out;
    }

    @Test
    void theTokenizerKeepsCaseAndAccentsAndSplitsChineseCharacters() {
        assertEquals(119547, vocab.size());
        try (Tokenizer tok = Tokenizers.load(dir)) {
            List<String> p = pieces(tok, "Paris und Zürich: 北京是首都。");
            assertEquals("[CLS]", p.get(0));
            assertEquals("[SEP]", p.get(p.size() - 1));
            assertTrue(vocab.contains("Paris") && p.contains("Paris"), "case kept: " + p);
            assertFalse(p.contains("paris"), p.toString());
            String zurich = String.join("", p.subList(p.indexOf("und") + 1, p.indexOf(":"))).replace("##", "");
            assertEquals("Zürich", zurich, "accent kept: " + p);
            assertEquals(List.of("北", "京", "是", "首", "都", "。"), p.subList(p.indexOf(":") + 1, p.size() - 1), "one Chinese character a token");

            // The pure-Java tokenizer on the same vocabulary, cased, gives the same ids as the saved tokenizer.json.
            WordPieceTokenizer java = WordPieceTokenizer.load(dir.resolve("vocab.txt"), false, false);
            for (String text : List.of("Paris und Zürich: 北京是首都。", "Ça coûte 3,50 € à Montréal", "患者有糖尿病和高血压")) {
                assertArrayEquals(java.encode(text).ids(), tok.encode(text).ids(), text);
            }
        }
    }

    @Test
    void fillMaskOnAnEnglishAndAChineseSentence() {
        try (MaskedLm lm = MaskedLm.load(ModelStore.BERT_BASE_MULTILINGUAL_CASED)) {
            List<FillMask.Result> r = FillMask.predict(lm, List.of("Paris is the capital of [MASK].", "北京是中国的首[MASK]。"), 5);
            List<String> en = r.get(0).masks().get(0).top().stream().map(FillMask.Candidate::token).toList();
            List<String> zh = r.get(1).masks().get(0).top().stream().map(FillMask.Candidate::token).toList();
            assertTrue(en.contains("France"), "top 5: " + en);
            assertTrue(zh.contains("都"), "top 5: " + zh);
        }
    }
}
