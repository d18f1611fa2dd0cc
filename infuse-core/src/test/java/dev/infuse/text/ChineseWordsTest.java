package dev.infuse.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChineseWordsTest {
    @Test
    void jiebaWordsGroupChineseCharactersAndLeaveOtherWordsAlone() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "gpu", "##s"));
        for (char c : "我们在北京工作".toCharArray()) {
            vocab.add(String.valueOf(c));
        }
        WordPieceTokenizer tok = new WordPieceTokenizer(vocab, true, true, "test");
        String text = "我们在北京工作 gpus";
        Encoding enc = tok.encode(text);
        // [CLS] 我 们 在 北 京 工 作 gpu ##s [SEP]: jieba reads 我们 / 在 / 北京 / 工作, WordPiece keeps gpu ##s together.
        assertArrayEquals(new int[] {-1, 0, 0, 1, 2, 2, 3, 3, 4, 4, -1}, ChineseWords.regroup(text, enc));
    }
}
