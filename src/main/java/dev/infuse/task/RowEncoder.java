package dev.infuse.task;

import dev.infuse.inject.kbert.KbertEncoder;
import dev.infuse.inject.kbert.SentenceTree;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.model.InputRow;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.util.Map;

/**
 * Text to a model row for the task readers: the plain tokenizer, the tokenizer with a PELT entity
 * table plugged in, or K-BERT's sentence trees. Either way the encoding's offsets point into the text as given, so readers map words
 * and spans onto pieces the same way with or without knowledge slots.
 */
public interface RowEncoder {
    /**
     * One encoded text. Segment ids travel in the encoding's {@code typeIds}.
     *
     * @param overrides input embeddings by position (PELT slots); empty for plain text
     * @param positions one position id per token (K-BERT-style soft positions), or null for the model's
     *     default numbering
     * @param visibility a [n][n] matrix, row i saying which tokens token i may attend to, or null for all
     */
    record Row(Encoding encoding, Map<Integer, float[]> overrides, long[] positions, boolean[][] visibility) {
        public Row {
            // Checked here too so a bad encoder fails where it builds the row, not later in a batch.
            new InputRow(new long[encoding.size()], overrides, positions, visibility, null);
        }

        public Row(Encoding encoding, Map<Integer, float[]> overrides) {
            this(encoding, overrides, null, null);
        }
    }

    Tokenizer tokenizer();

    Row encode(String text);

    static RowEncoder plain(Tokenizer tok) {
        return new RowEncoder() {
            @Override
            public Tokenizer tokenizer() {
                return tok;
            }

            @Override
            public Row encode(String text) {
                return new Row(tok.encode(text), Map.of());
            }
        };
    }

    /**
     * K-BERT: every text becomes its sentence tree, with soft positions and (unless switched off) the visible
     * matrix; inserted tokens have no offsets, so readers never put a target on them.
     */
    static RowEncoder kbert(KbertEncoder k) {
        return new RowEncoder() {
            @Override
            public Tokenizer tokenizer() {
                return k.tokenizer();
            }

            @Override
            public Row encode(String text) {
                SentenceTree.Tree t = k.tree(text);
                return new Row(t.encoding(), Map.of(), t.positions(), t.visibility());
            }
        };
    }

    /** Links mentions by the table's names and inserts a slot after each, as {@code --entity-table} does elsewhere. */
    static RowEncoder pelt(Tokenizer tok, PeltPlugin plugin) {
        return new RowEncoder() {
            @Override
            public Tokenizer tokenizer() {
                return tok;
            }

            @Override
            public Row encode(String text) {
                PeltPlugin.Aligned a = plugin.encodeAligned(text, plugin.link(text));
                return new Row(a.encoding(), a.row().overrides());
            }
        };
    }
}
