package dev.infuse.inject;

import dev.infuse.text.Encoding;
import java.util.Map;

/**
 * A text on its way to a model row, as the knowledge plug-ins have made it so far. The encoding's offsets
 * point into the text as given; tokens a plug-in inserted have offsets -1, so task readers place words, spans
 * and targets the same way with or without knowledge.
 *
 * @param overrides input embeddings by position (PELT slots); empty for none
 * @param positions one position id per token (K-BERT's soft positions), or null for the model's numbering
 * @param visibility n×n, row i saying which tokens token i may attend to, or null for all
 * @param extras what plug-ins put beside the tokens for the encoder's modules (mention spans, entity ids),
 *     by their own keys; it reaches them as the batch's {@link dev.infuse.model.ForwardContext}
 */
public record TextRow(Encoding encoding, Map<Integer, float[]> overrides, long[] positions, boolean[][] visibility,
        Map<String, Object> extras) {
    public TextRow {
        overrides = Map.copyOf(overrides);
        extras = Map.copyOf(extras);
    }

    /** The plain tokenization: no slots, the model's positions, full visibility. */
    public static TextRow plain(Encoding e) {
        return new TextRow(e, Map.of(), null, null, Map.of());
    }
}
