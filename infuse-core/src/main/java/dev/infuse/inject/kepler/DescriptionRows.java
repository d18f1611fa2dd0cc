package dev.infuse.inject.kepler;

import ai.djl.ndarray.NDArray;
import dev.infuse.model.InputRow;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.Map;

/**
 * How an entity's description becomes the encoder's input and its embedding, the same in training and evaluation:
 * {@code [CLS] description [SEP]} cut to its first {@code maxTokens} tokens (specials included), and the final
 * layer's [CLS] state. KEPLER takes its RoBERTa's {@code <s>} state, which is BERT's [CLS]; mean pooling (ZEO's
 * vectors) would also be defensible, but [CLS] is what the paper trains and what leaves the tokens' states to MLM.
 */
final class DescriptionRows {
    private DescriptionRows() {}

    static InputRow row(Tokenizer tok, String description, int maxTokens) {
        Encoding e = tok.encode(description);
        int n = Math.min(e.size(), maxTokens);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = e.ids()[i];
        }
        if (n < e.size()) {
            ids[n - 1] = tok.sepId(); // cut inside the text: close it as the tokenizer would
        }
        return new InputRow(ids, Map.of());
    }

    /** The entity embeddings (B, H) from the final hidden states (B, T, H). */
    static NDArray pool(NDArray lastHidden) {
        return lastHidden.get(":, 0, :");
    }
}
