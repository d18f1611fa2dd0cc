package dev.infuse.model.tf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A random 2-layer, hidden-8 BERT with MLM and NSP heads, in Google's TF variable names and layouts. */
final class TinyBert {
    static final int VOCAB = 20, HIDDEN = 8, INTER = 16, MAX_POS = 12, TYPES = 2, LAYERS = 2;

    /** TF name → shape in TF layout (kernels [in, out]). */
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    /** TF name → row-major values. */
    final Map<String, float[]> values = new LinkedHashMap<>();

    TinyBert(String namePrefix, long seed) {
        Random rnd = new Random(seed);
        add(rnd, namePrefix + "bert/embeddings/word_embeddings", VOCAB, HIDDEN);
        add(rnd, namePrefix + "bert/embeddings/position_embeddings", MAX_POS, HIDDEN);
        add(rnd, namePrefix + "bert/embeddings/token_type_embeddings", TYPES, HIDDEN);
        norm(rnd, namePrefix + "bert/embeddings/LayerNorm", HIDDEN);
        for (int l = 0; l < LAYERS; l++) {
            String p = namePrefix + "bert/encoder/layer_" + l + "/";
            for (String qkv : new String[] {"query", "key", "value"}) {
                dense(rnd, p + "attention/self/" + qkv, HIDDEN, HIDDEN);
            }
            dense(rnd, p + "attention/output/dense", HIDDEN, HIDDEN);
            norm(rnd, p + "attention/output/LayerNorm", HIDDEN);
            dense(rnd, p + "intermediate/dense", HIDDEN, INTER);
            dense(rnd, p + "output/dense", INTER, HIDDEN);
            norm(rnd, p + "output/LayerNorm", HIDDEN);
        }
        dense(rnd, namePrefix + "bert/pooler/dense", HIDDEN, HIDDEN);
        dense(rnd, namePrefix + "cls/predictions/transform/dense", HIDDEN, HIDDEN);
        norm(rnd, namePrefix + "cls/predictions/transform/LayerNorm", HIDDEN);
        add(rnd, namePrefix + "cls/predictions/output_bias", VOCAB);
        add(rnd, namePrefix + "cls/seq_relationship/output_weights", 2, HIDDEN);
        add(rnd, namePrefix + "cls/seq_relationship/output_bias", 2);
    }

    /** A writer holding every tensor, ready for extra tensors and {@code write}. */
    TensorBundleWriter writer() {
        TensorBundleWriter w = new TensorBundleWriter();
        shapes.forEach((name, shape) -> w.addFloat(name, shape, values.get(name)));
        return w;
    }

    private void dense(Random rnd, String name, int in, int out) {
        add(rnd, name + "/kernel", in, out);
        add(rnd, name + "/bias", out);
    }

    private void norm(Random rnd, String name, int width) {
        add(rnd, name + "/gamma", width);
        add(rnd, name + "/beta", width);
    }

    private void add(Random rnd, String name, long... shape) {
        float[] v = new float[(int) dev.infuse.model.io.HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        shapes.put(name, shape);
        values.put(name, v);
    }

    /** Google's bert_config.json for this model. */
    static String configJson(int heads) {
        return "{\"attention_probs_dropout_prob\": 0.1, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.1,"
                + " \"hidden_size\": " + HIDDEN + ", \"initializer_range\": 0.02, \"intermediate_size\": " + INTER + ","
                + " \"max_position_embeddings\": " + MAX_POS + ", \"num_attention_heads\": " + heads + ","
                + " \"num_hidden_layers\": " + LAYERS + ", \"type_vocab_size\": " + TYPES + ", \"vocab_size\": " + VOCAB + "}";
    }
}
