package dev.infuse.task;

import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.TextRow;
import dev.infuse.text.Tokenizer;

/**
 * Text to a model row for the task readers: the tokenizer, then every knowledge plug-in of the model in its
 * stack's order (PELT's slots, K-BERT's tree, ...). Either way the row's offsets point into the text as given,
 * so readers map words and spans onto pieces the same way with or without knowledge.
 */
public interface RowEncoder {
    Tokenizer tokenizer();

    TextRow encode(String text);

    static RowEncoder plain(Tokenizer tok) {
        return of(tok, KnowledgeStack.NONE);
    }

    static RowEncoder of(Tokenizer tok, KnowledgeStack stack) {
        return new RowEncoder() {
            @Override
            public Tokenizer tokenizer() {
                return tok;
            }

            @Override
            public TextRow encode(String text) {
                return stack.encode(tok, text);
            }
        };
    }
}
