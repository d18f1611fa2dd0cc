package dev.infuse.task;

import dev.infuse.model.InputRow;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.HashMap;
import java.util.Map;

/** Encodings to model rows, cut to the length limit the way BERT's fine-tuning scripts cut them. */
public final class Rows {
    private Rows() {}

    /** The first {@code maxLen - 1} tokens and a final [SEP] when the encoding is longer than {@code maxLen}. */
    public static InputRow cut(RowEncoder.Row r, int maxLen, Tokenizer tok) {
        Encoding e = r.encoding();
        int n = Math.min(e.size(), maxLen);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = e.ids()[i];
        }
        if (e.size() > maxLen) {
            ids[n - 1] = tok.sepId();
        }
        Map<Integer, float[]> overrides = new HashMap<>();
        // A slot that falls on the final [SEP] or beyond is dropped with its text.
        r.overrides().forEach((p, v) -> {
            if (p < kept(e, maxLen)) {
                overrides.put(p, v);
            }
        });
        return new InputRow(ids, overrides);
    }

    /** How many positions of an encoding survive {@link #cut}: targets at or past it are dropped. */
    public static int kept(Encoding e, int maxLen) {
        return e.size() > maxLen ? maxLen - 1 : e.size();
    }
}
