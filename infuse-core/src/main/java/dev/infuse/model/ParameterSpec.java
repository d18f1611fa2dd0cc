package dev.infuse.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One named parameter of a BERT-family masked LM, with the exact Hugging Face checkpoint name.
 *
 * @param role how the parameter is initialised and whether weight decay applies (not to biases and norms)
 * @param optional whether a checkpoint may lack it (the pooler: RoBERTa MLM checkpoints often have none)
 */
public record ParameterSpec(String name, long[] shape, Role role, boolean optional) {

    public enum Role {
        EMBEDDING, WEIGHT, BIAS, NORM_WEIGHT, NORM_BIAS;

        public boolean decays() {
            return this == EMBEDDING || this == WEIGHT;
        }
    }

    /** Every parameter of the model in checkpoint order: embeddings, layers, pooler, MLM head. */
    public static List<ParameterSpec> of(BertConfig c) {
        String p = prefix(c);
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        List<ParameterSpec> s = new ArrayList<>();
        s.add(new ParameterSpec(p + "embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h}, Role.EMBEDDING, false));
        s.add(new ParameterSpec(p + "embeddings.position_embeddings.weight", new long[] {c.maxPositionEmbeddings(), h},
                Role.EMBEDDING, false));
        s.add(new ParameterSpec(p + "embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h},
                Role.EMBEDDING, false));
        norm(s, p + "embeddings.LayerNorm", h);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String q = p + "encoder.layer." + l + ".";
            dense(s, q + "attention.self.query", h, h);
            dense(s, q + "attention.self.key", h, h);
            dense(s, q + "attention.self.value", h, h);
            dense(s, q + "attention.output.dense", h, h);
            norm(s, q + "attention.output.LayerNorm", h);
            dense(s, q + "intermediate.dense", i, h);
            dense(s, q + "output.dense", h, i);
            norm(s, q + "output.LayerNorm", h);
        }
        s.add(new ParameterSpec(p + "pooler.dense.weight", new long[] {h, h}, Role.WEIGHT, true));
        s.add(new ParameterSpec(p + "pooler.dense.bias", new long[] {h}, Role.BIAS, true));
        HeadNames head = HeadNames.of(c);
        dense(s, head.dense(), h, h);
        norm(s, head.norm(), h);
        s.add(new ParameterSpec(head.bias(), new long[] {c.vocabSize()}, Role.BIAS, false));
        return s;
    }

    public static String prefix(BertConfig c) {
        return c.isRoberta() ? "roberta." : "bert.";
    }

    /** The MLM head's names differ by family: BERT's {@code cls.predictions.*}, RoBERTa's {@code lm_head.*}. */
    public record HeadNames(String dense, String norm, String bias, String decoder) {
        public static HeadNames of(BertConfig c) {
            return c.isRoberta()
                    ? new HeadNames("lm_head.dense", "lm_head.layer_norm", "lm_head.bias", "lm_head.decoder")
                    : new HeadNames("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                            "cls.predictions.bias", "cls.predictions.decoder");
        }
    }

    private static void dense(List<ParameterSpec> s, String name, long out, long in) {
        s.add(new ParameterSpec(name + ".weight", new long[] {out, in}, Role.WEIGHT, false));
        s.add(new ParameterSpec(name + ".bias", new long[] {out}, Role.BIAS, false));
    }

    private static void norm(List<ParameterSpec> s, String name, long h) {
        s.add(new ParameterSpec(name + ".weight", new long[] {h}, Role.NORM_WEIGHT, false));
        s.add(new ParameterSpec(name + ".bias", new long[] {h}, Role.NORM_BIAS, false));
    }
}
