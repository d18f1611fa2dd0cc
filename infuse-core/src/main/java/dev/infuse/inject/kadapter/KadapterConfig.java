package dev.infuse.inject.kadapter;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The shape of a factual adapter, with the reference's names in its JSON ({@code kadapter_config.json}).
 *
 * @param layers the encoder hidden state each adapter layer reads, by Hugging Face's {@code hidden_states} index (0 is
 *     the embedding output, i the output of layer i): {0, 5, 11} for BERT-base, as {0, 11, 23} for RoBERTa-large
 * @param hidden the encoder's hidden size, which the down-projection reads and the up-projection returns
 * @param adapterSize the width of the adapter's transformer layers (the reference's {@code adapter_size}, 768)
 * @param transformerLayers transformer layers per adapter layer (2)
 * @param heads their attention heads (12)
 * @param intermediate their feed-forward width (3072)
 * @param initRange the standard deviation of the down- and up-projections' initial weights (0.0002)
 */
public record KadapterConfig(List<Integer> layers, int hidden, int adapterSize, int transformerLayers, int heads, int intermediate,
        float initRange) {
    public static final int ADAPTER_LAYERS = 3;
    public static final int SIZE = 768;
    public static final int TRANSFORMER_LAYERS = 2;
    public static final int HEADS = 12;
    public static final int INTERMEDIATE = 3072;
    public static final float INIT_RANGE = 0.0002f;
    /** The reference's adapter config: dropout 0.1 in attention and after each sub-layer, LayerNorm eps 1e-5. */
    static final float DROPOUT = 0.1f;
    static final float LAYER_NORM_EPS = 1e-5f;
    /** The inner transformer layers' weights: BERT's initializer_range, close to torch's default Linear init the reference leaves them at. */
    static final float INNER_INIT = 0.02f;

    public KadapterConfig {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new InfuseException("a factual adapter needs at least one adapter layer (--adapter-layers)");
        }
        for (String[] f : new String[][] {{"hidden", "" + hidden}, {"--adapter-size", "" + adapterSize},
                {"--adapter-transformer-layers", "" + transformerLayers}, {"--adapter-heads", "" + heads},
                {"--adapter-intermediate", "" + intermediate}}) {
            if (Integer.parseInt(f[1]) < 1) {
                throw new InfuseException(f[0] + " must be at least 1, found " + f[1]);
            }
        }
        if (adapterSize % heads != 0) {
            throw new InfuseException("the adapter size (" + adapterSize + ") is not a multiple of the number of attention heads (" + heads + ")");
        }
        if (!(initRange > 0) || Float.isInfinite(initRange)) {
            throw new InfuseException("the adapter's initializer range must be positive, found " + initRange);
        }
    }

    /**
     * The reference's three layers scaled to an encoder of {@code L} layers: {@code floor(k (L - 1) / 2)} for k = 0, 1, 2,
     * which gives {0, 5, 11} for 12 layers and the paper's {0, 11, 23} for 24 (hidden state L, the last, is the one the
     * output concatenates anyway).
     */
    public static List<Integer> scaledLayers(int encoderLayers) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < ADAPTER_LAYERS; k++) {
            out.add(k * (encoderLayers - 1) / (ADAPTER_LAYERS - 1));
        }
        return out;
    }

    /** The paper's shape on {@code c}; {@code layers} null for the scaled default, sizes as given. */
    public static KadapterConfig on(BertConfig c, List<Integer> layers, int adapterSize, int transformerLayers, int heads, int intermediate) {
        KadapterConfig k = new KadapterConfig(layers == null ? scaledLayers(c.numHiddenLayers()) : layers, c.hiddenSize(), adapterSize,
                transformerLayers, heads, intermediate, INIT_RANGE);
        k.requireFits(c, "--adapter-layers");
        return k;
    }

    /** Refuses an encoder this adapter was not built for; {@code where} names the source for the error. */
    public void requireFits(BertConfig c, String where) {
        if (c.hiddenSize() != hidden) {
            throw new InfuseException(where + ": the adapter reads hidden states " + hidden + " wide, the model's are " + c.hiddenSize());
        }
        for (int l : layers) {
            if (l < 0 || l > c.numHiddenLayers()) {
                throw new InfuseException(where + ": adapter layer reads hidden state " + l + ", the model has 0.." + c.numHiddenLayers()
                        + " (0 the embeddings, " + c.numHiddenLayers() + " the last layer)");
            }
        }
    }

    public int headSize() {
        return adapterSize / heads;
    }

    private static final Set<String> KEYS = Set.of("adapter_list", "project_hidden_size", "adapter_size", "adapter_transformer_layers",
            "num_attention_heads", "intermediate_size", "adapter_initializer_range", "hidden_dropout_prob", "attention_probs_dropout_prob",
            "layer_norm_eps", "hidden_act");

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray l = new JsonArray();
        layers.forEach(l::add);
        o.add("adapter_list", l);
        o.addProperty("project_hidden_size", hidden);
        o.addProperty("adapter_size", adapterSize);
        o.addProperty("adapter_transformer_layers", transformerLayers);
        o.addProperty("num_attention_heads", heads);
        o.addProperty("intermediate_size", intermediate);
        o.addProperty("adapter_initializer_range", initRange);
        o.addProperty("hidden_dropout_prob", DROPOUT);
        o.addProperty("attention_probs_dropout_prob", DROPOUT);
        o.addProperty("layer_norm_eps", LAYER_NORM_EPS);
        o.addProperty("hidden_act", "gelu");
        return o;
    }

    /** Reads what {@link #toJson} wrote; an unknown or missing key is one error naming {@code where}. */
    public static KadapterConfig fromJson(JsonObject o, String where) {
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new InfuseException(where + ": unknown key \"" + k + "\" (expected " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        try {
            List<Integer> layers = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("adapter_list")) {
                layers.add(e.getAsInt());
            }
            if (o.has("hidden_act") && !o.get("hidden_act").getAsString().equals("gelu")) {
                throw new InfuseException("hidden_act " + o.get("hidden_act").getAsString() + " is not supported (gelu only)");
            }
            return new KadapterConfig(layers, o.get("project_hidden_size").getAsInt(), o.get("adapter_size").getAsInt(),
                    o.get("adapter_transformer_layers").getAsInt(), o.get("num_attention_heads").getAsInt(), o.get("intermediate_size").getAsInt(),
                    o.get("adapter_initializer_range").getAsFloat());
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            throw new InfuseException(where + ": not a K-Adapter config (" + e.getMessage() + ")");
        } catch (InfuseException e) {
            throw new InfuseException(where + ": " + e.getMessage());
        }
    }
}
