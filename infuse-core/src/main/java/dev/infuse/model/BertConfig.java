package dev.infuse.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The BERT-family configuration, with the field names and defaults of Hugging Face's {@code config.json}.
 *
 * @param modelType {@code bert} or {@code roberta}; RoBERTa numbers positions after the padding id
 * @param hiddenAct {@code gelu} is the exact erf GELU (Hugging Face's meaning); {@code gelu_new} and
 *     {@code gelu_pytorch_tanh} are the tanh approximation of Google's original code
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        float hiddenDropoutProb,
        float attentionProbsDropoutProb,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        int padTokenId,
        float initializerRange) {

    public BertConfig {
        modelType = modelType.toLowerCase(Locale.ROOT);
        if (!modelType.equals("bert") && !modelType.equals("roberta")) {
            throw new InfuseException("unknown model_type \"" + modelType + "\": infuse reads bert and roberta");
        }
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new InfuseException("The hidden size (" + hiddenSize + ") is not a multiple of the number of attention heads ("
                    + numAttentionHeads + ")");
        }
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("gelu_new") && !hiddenAct.equals("gelu_pytorch_tanh")) {
            throw new InfuseException("unsupported hidden_act \"" + hiddenAct + "\": expected gelu, gelu_new or gelu_pytorch_tanh");
        }
        if (hiddenDropoutProb < 0 || hiddenDropoutProb >= 1 || attentionProbsDropoutProb < 0 || attentionProbsDropoutProb >= 1) {
            throw new InfuseException("dropout probabilities must be in [0, 1), found hidden " + hiddenDropoutProb
                    + " and attention " + attentionProbsDropoutProb);
        }
        if (!(layerNormEps > 0)) {
            throw new InfuseException("layer_norm_eps must be positive, found " + layerNormEps);
        }
        if (modelType.equals("roberta") && padTokenId + 1 + 1 > maxPositionEmbeddings) {
            throw new InfuseException("RoBERTa needs max_position_embeddings above pad_token_id + 1, found "
                    + maxPositionEmbeddings + " with pad_token_id " + padTokenId);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InfuseException(field + " must be positive, found " + value);
        }
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public boolean isRoberta() {
        return modelType.equals("roberta");
    }

    /** The largest number of tokens one sequence may have (RoBERTa loses pad_token_id + 1 positions). */
    public int maxSequenceLength() {
        return isRoberta() ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /**
     * Refuses a sequence length the model has no positions for, naming the flag that asked for it:
     * "--max-seq-length 600 is larger than the model's 512 positions".
     */
    public void requireSequenceLength(String flag, int length) {
        if (length > maxSequenceLength()) {
            throw new InfuseException(flag + " " + length + " is larger than the model's " + maxSequenceLength() + " positions");
        }
    }

    /** Google's bert-base-uncased. */
    public static BertConfig bertBase(int vocabSize) {
        return new BertConfig("bert", vocabSize, 768, 12, 12, 3072, "gelu", 0.1f, 0.1f, 512, 2, 1e-12f, 0, 0.02f);
    }

    /** A tiny configuration for unit tests: 2 layers, hidden 32. */
    public static BertConfig tiny(int vocabSize) {
        return new BertConfig("bert", vocabSize, 32, 2, 4, 64, "gelu", 0.1f, 0.1f, 64, 2, 1e-12f, 0, 0.02f);
    }

    public BertConfig withModelType(String type) {
        return new BertConfig(type, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, layerNormEps,
                padTokenId, initializerRange);
    }

    /** This config with another vocabulary size, as after resizing the word embeddings. */
    public BertConfig withVocabSize(int size) {
        return new BertConfig(modelType, size, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, layerNormEps,
                padTokenId, initializerRange);
    }

    /** Reads {@code config.json}; keys infuse does not use are Hugging Face's business and are kept out of the way. */
    public static BertConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InfuseException("missing config.json: " + file);
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new InfuseException("malformed JSON in " + file + ": " + e.getMessage());
        }
        try {
            return new BertConfig(
                    requireString(o, "model_type", file),
                    requireInt(o, "vocab_size", file),
                    requireInt(o, "hidden_size", file),
                    requireInt(o, "num_hidden_layers", file),
                    requireInt(o, "num_attention_heads", file),
                    requireInt(o, "intermediate_size", file),
                    o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu",
                    floatOr(o, "hidden_dropout_prob", 0.1f),
                    floatOr(o, "attention_probs_dropout_prob", 0.1f),
                    o.has("max_position_embeddings") ? o.get("max_position_embeddings").getAsInt() : 512,
                    o.has("type_vocab_size") ? o.get("type_vocab_size").getAsInt() : 2,
                    floatOr(o, "layer_norm_eps", 1e-12f),
                    o.has("pad_token_id") && !o.get("pad_token_id").isJsonNull() ? o.get("pad_token_id").getAsInt() : 0,
                    floatOr(o, "initializer_range", 0.02f));
        } catch (InfuseException e) {
            throw new InfuseException(file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InfuseException(file + ": a field has the wrong type: " + e.getMessage());
        }
    }

    private static String requireString(JsonObject o, String key, Path file) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new InfuseException("missing \"" + key + "\"");
        }
        return e.getAsString();
    }

    private static int requireInt(JsonObject o, String key, Path file) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new InfuseException("missing \"" + key + "\"");
        }
        return e.getAsInt();
    }

    private static float floatOr(JsonObject o, String key, float dflt) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsFloat();
    }

    /** The config as Hugging Face writes it, loadable by transformers' AutoConfig. */
    public String toJson() {
        JsonObject o = new JsonObject();
        com.google.gson.JsonArray arch = new com.google.gson.JsonArray();
        arch.add(isRoberta() ? "RobertaForMaskedLM" : "BertForMaskedLM");
        o.add("architectures", arch);
        o.addProperty("model_type", modelType);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("hidden_dropout_prob", hiddenDropoutProb);
        o.addProperty("attention_probs_dropout_prob", attentionProbsDropoutProb);
        o.addProperty("max_position_embeddings", maxPositionEmbeddings);
        o.addProperty("type_vocab_size", typeVocabSize);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("pad_token_id", padTokenId);
        o.addProperty("initializer_range", initializerRange);
        o.addProperty("position_embedding_type", "absolute");
        o.addProperty("torch_dtype", "float32");
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        return gson.toJson(o) + "\n";
    }
}
