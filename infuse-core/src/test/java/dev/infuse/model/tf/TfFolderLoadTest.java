package dev.infuse.model.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.io.Provenance;
import dev.infuse.model.FillMask;
import dev.infuse.model.MaskedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Google TF1 checkpoint folder loads through --model, and saving it as Hugging Face keeps every output. */
class TfFolderLoadTest {
    @TempDir
    Path tmp;

    @Test
    void tfFolderLoadsAndRoundTripsThroughHuggingFace() throws IOException {
        Path tf = tmp.resolve("tf");
        Files.createDirectories(tf);
        new TinyBert("", 5).writer().write(tf.resolve("bert_model.ckpt"));
        Files.writeString(tf.resolve("bert_config.json"), "{\"vocab_size\": 20, \"hidden_size\": 8, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 16, \"max_position_embeddings\": 12,"
                + " \"type_vocab_size\": 2, \"hidden_act\": \"gelu\"}");
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (String w : "the cat sat on a mat dog ran far up off in to is at".split(" ")) {
            vocab.add(w);
        }
        Files.write(tf.resolve("vocab.txt"), vocab);
        List<String> texts = List.of("the cat sat on the [MASK].", "a dog [MASK] far");
        Path hf = tmp.resolve("hf");
        float[] fromTf;
        try (MaskedLm lm = MaskedLm.load(tf.toString())) {
            fromTf = logits(FillMask.predict(lm, texts, 20));
            lm.save(hf, Provenance.of("model").input("source", tf.toString()));
        }
        assertTrue(Files.exists(hf.resolve("tokenizer.json")) && Files.exists(hf.resolve("provenance.json")));
        try (MaskedLm lm = MaskedLm.load(hf.toString())) {
            assertArrayEquals(fromTf, logits(FillMask.predict(lm, texts, 20)));
            assertEquals(20, lm.model().config().vocabSize());
        }
    }

    static float[] logits(List<FillMask.Result> results) {
        List<Float> all = new ArrayList<>();
        results.forEach(r -> r.masks().forEach(p -> p.top().forEach(c -> all.add(c.logit()))));
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
