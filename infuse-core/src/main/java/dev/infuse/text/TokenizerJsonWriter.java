package dev.infuse.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes HuggingFace tokenizer files for a BERT WordPiece vocabulary: {@code tokenizer.json} (the fast
 * tokenizer: BertNormalizer, BertPreTokenizer, WordPiece model, "[CLS] $A [SEP]" template, WordPiece
 * decoder), {@code tokenizer_config.json} and {@code special_tokens_map.json}.
 *
 * <p>Why: models infuse writes then load in Python's transformers without a conversion step, and tests
 * can run DJL's HuggingFace tokenizer on exactly the vocabulary {@link WordPieceTokenizer} uses.
 */
public final class TokenizerJsonWriter {
    /** Written as model_max_length; BERT-base's position table size. */
    public static final int DEFAULT_MODEL_MAX_LENGTH = 512;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private TokenizerJsonWriter() {}

    /** Reads {@code vocabTxt} and writes the three files into {@code dir}; accents stripped iff lower-casing. */
    public static void write(Path vocabTxt, boolean doLowerCase, Path dir) {
        write(VocabFile.read(vocabTxt), doLowerCase, doLowerCase, dir, vocabTxt.toString());
    }

    public static void write(List<String> vocab, boolean doLowerCase, boolean stripAccents, Path dir) {
        write(vocab, doLowerCase, stripAccents, dir, List.of());
    }

    /**
     * @param added entries of {@code vocab} that are added tokens: listed in {@code added_tokens} (normalised,
     *     not special) and left out of the WordPiece model's vocabulary, as Hugging Face saves them
     */
    public static void write(List<String> vocab, boolean doLowerCase, boolean stripAccents, Path dir, List<String> added) {
        write(vocab, doLowerCase, stripAccents, dir, "vocabulary for " + dir, added);
    }

    private static void write(List<String> vocab, boolean doLowerCase, boolean stripAccents, Path dir, String source) {
        write(vocab, doLowerCase, stripAccents, dir, source, List.of());
    }

    private static void write(List<String> vocab, boolean doLowerCase, boolean stripAccents, Path dir, String source,
            List<String> added) {
        Map<String, Integer> ids = VocabFile.index(vocab, source);
        writeJson(dir.resolve("tokenizer.json"), tokenizerJson(vocab, ids, doLowerCase, stripAccents, added));
        writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfig(doLowerCase, stripAccents));
        writeJson(dir.resolve("special_tokens_map.json"), specialTokensMap());
    }

    /** The {@code tokenizer.json} document, in the key order HuggingFace itself writes. */
    static JsonObject tokenizerJson(List<String> vocab, Map<String, Integer> ids, boolean lowercase, boolean strip) {
        return tokenizerJson(vocab, ids, lowercase, strip, List.of());
    }

    static JsonObject tokenizerJson(List<String> vocab, Map<String, Integer> ids, boolean lowercase, boolean strip,
            List<String> addedTokens) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);

        // Sorted by id, like HuggingFace; "normalized": false means they match the raw text, case-sensitively.
        JsonArray added = new JsonArray();
        VocabFile.REQUIRED.stream().sorted((a, b) -> ids.get(a) - ids.get(b)).forEach(token -> added.add(addedToken(ids.get(token), token, false, true)));
        // Domain tokens: Hugging Face's defaults for a non-special added token, matched in the normalised text.
        addedTokens.stream().sorted((a, b) -> ids.get(a) - ids.get(b)).forEach(token -> added.add(addedToken(ids.get(token), token, true, false)));
        root.add("added_tokens", added);

        JsonObject normalizer = new JsonObject();
        normalizer.addProperty("type", "BertNormalizer");
        normalizer.addProperty("clean_text", true);
        normalizer.addProperty("handle_chinese_chars", true);
        normalizer.addProperty("strip_accents", strip);
        normalizer.addProperty("lowercase", lowercase);
        root.add("normalizer", normalizer);

        JsonObject preTokenizer = new JsonObject();
        preTokenizer.addProperty("type", "BertPreTokenizer");
        root.add("pre_tokenizer", preTokenizer);

        JsonObject post = new JsonObject();
        post.addProperty("type", "TemplateProcessing");
        JsonArray single = new JsonArray();
        single.add(piece("SpecialToken", "[CLS]", 0));
        single.add(piece("Sequence", "A", 0));
        single.add(piece("SpecialToken", "[SEP]", 0));
        post.add("single", single);
        JsonArray pair = single.deepCopy();
        pair.add(piece("Sequence", "B", 1));
        pair.add(piece("SpecialToken", "[SEP]", 1));
        post.add("pair", pair);
        JsonObject specials = new JsonObject();
        for (String token : List.of("[CLS]", "[SEP]")) {
            JsonObject s = new JsonObject();
            s.addProperty("id", token);
            JsonArray idArray = new JsonArray();
            idArray.add(ids.get(token));
            s.add("ids", idArray);
            JsonArray tokens = new JsonArray();
            tokens.add(token);
            s.add("tokens", tokens);
            specials.add(token, s);
        }
        post.add("special_tokens", specials);
        root.add("post_processor", post);

        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "WordPiece");
        decoder.addProperty("prefix", "##");
        decoder.addProperty("cleanup", true);
        root.add("decoder", decoder);

        JsonObject model = new JsonObject();
        model.addProperty("type", "WordPiece");
        model.addProperty("unk_token", "[UNK]");
        model.addProperty("continuing_subword_prefix", "##");
        model.addProperty("max_input_chars_per_word", WordPieceTokenizer.MAX_CHARS_PER_WORD);
        JsonObject vocabJson = new JsonObject(); // keeps insertion order, so ids read in order
        java.util.Set<String> skip = new java.util.HashSet<>(addedTokens);
        for (int i = 0; i < vocab.size(); i++) {
            if (!skip.contains(vocab.get(i))) {
                vocabJson.addProperty(vocab.get(i), i);
            }
        }
        model.add("vocab", vocabJson);
        root.add("model", model);
        return root;
    }

    private static JsonObject piece(String kind, String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject outer = new JsonObject();
        outer.add(kind, inner);
        return outer;
    }

    static JsonObject tokenizerConfig(boolean doLowerCase, boolean stripAccents) {
        JsonObject c = new JsonObject();
        c.addProperty("tokenizer_class", "BertTokenizer");
        c.addProperty("do_lower_case", doLowerCase);
        c.addProperty("strip_accents", stripAccents);
        c.addProperty("tokenize_chinese_chars", true);
        c.addProperty("model_max_length", DEFAULT_MODEL_MAX_LENGTH);
        c.addProperty("clean_up_tokenization_spaces", true);
        specialTokensMap().entrySet().forEach(e -> c.add(e.getKey(), e.getValue()));
        return c;
    }

    static JsonObject specialTokensMap() {
        JsonObject m = new JsonObject();
        m.addProperty("unk_token", "[UNK]");
        m.addProperty("sep_token", "[SEP]");
        m.addProperty("pad_token", "[PAD]");
        m.addProperty("cls_token", "[CLS]");
        m.addProperty("mask_token", "[MASK]");
        return m;
    }

    private static void writeJson(Path file, JsonObject json) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, GSON.toJson(json) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** One entry of {@code added_tokens}: never a single word only, no stripping. */
    private static JsonObject addedToken(int id, String content, boolean normalized, boolean special) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", normalized);
        t.addProperty("special", special);
        return t;
    }
}
