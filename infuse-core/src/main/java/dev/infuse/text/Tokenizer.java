package dev.infuse.text;

import java.nio.file.Path;

/**
 * Text to token ids for a BERT-style model, with char offsets and word ids so callers can mask whole
 * words and map predictions back onto the text.
 *
 * <p>Implementations: {@link WordPieceTokenizer} (pure Java, from {@code vocab.txt}) and
 * {@link HfTokenizer} (HuggingFace {@code tokenizer.json} through DJL). {@link Tokenizers#load(Path)}
 * picks one for a model directory. Instances are safe for concurrent {@code encode} calls.
 */
public interface Tokenizer extends AutoCloseable {
    /** Encodes one text and adds the model's specials ({@code [CLS] text [SEP]} for BERT). */
    Encoding encode(String text);

    /**
     * Encodes a pair as {@code [CLS] a [SEP] b [SEP]}, type id 0 for the first part and 1 for the second.
     * Offsets of second-part tokens index into {@code b}.
     */
    default Encoding encodePair(String a, String b) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not encode pairs");
    }

    /** The id of {@code token}, or -1 when the vocabulary lacks it. */
    int tokenToId(String token);

    /** The token for {@code id}; throws IllegalArgumentException outside {@code [0, vocabSize())}. */
    String idToToken(int id);

    int vocabSize();

    int maskId();

    String maskToken();

    int clsId();

    int sepId();

    int padId();

    /** True for the ids of the model's special tokens ([CLS], [SEP], [PAD], [MASK], [UNK], ...). */
    boolean isSpecial(int id);

    /**
     * A tokenizer that also knows {@code tokens} as whole tokens, matched in the normalised text before
     * word-piece splitting, as Hugging Face's added tokens are. New tokens get the ids after
     * {@link #vocabSize()}, in the order given; {@link #save} keeps them. A token already in the vocabulary
     * (or given twice) is skipped, never duplicated: compare {@code vocabSize()} before and after, or ask
     * {@link #tokenToId} first. This tokenizer is left unchanged.
     */
    default Tokenizer withAddedTokens(java.util.List<String> tokens) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot add tokens");
    }

    /** Writes this tokenizer's files into {@code dir} (created if needed), loadable by {@link Tokenizers}. */
    void save(Path dir);

    /** Releases native resources, if any; never throws. */
    @Override
    default void close() {}
}
