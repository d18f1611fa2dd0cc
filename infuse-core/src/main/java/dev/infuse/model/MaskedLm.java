package dev.infuse.model;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import com.google.gson.JsonObject;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.tf.TfBertConverter;
import dev.infuse.text.Tokenizer;
import dev.infuse.text.Tokenizers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A masked language model with its tokenizer: what {@code --model} names. */
public final class MaskedLm implements AutoCloseable {
    private final BertModel model;
    private final Tokenizer tokenizer;
    private final String source;
    private String fingerprint;

    public MaskedLm(BertModel model, Tokenizer tokenizer, String source) {
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new InfuseException(source + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but the model's vocab_size is "
                    + model.config().vocabSize());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.source = source;
    }

    /** Loads a directory or built-in name (see {@link ModelStore#resolve}). */
    public static MaskedLm load(String ref) {
        Path dir = ModelStore.resolve(ref);
        if (ModelStore.isTfCheckpoint(dir)) {
            TfBertConverter.Converted tf = TfBertConverter.convert(dir);
            BertConfig config = ModelStore.configOf(tf);
            return new MaskedLm(BertModel.load(config, tf.tensors(), tf.prefix().toString()), Tokenizers.load(dir), dir.toString());
        }
        return new MaskedLm(Checkpoints.readHuggingFace(dir), Tokenizers.load(dir), dir.toString());
    }

    public BertModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public String source() {
        return source;
    }

    /**
     * A new model and tokenizer that know {@code tokens} as whole tokens (domain words, entity markers): the
     * tokenizer gives them the ids after its vocabulary and the model's vocabulary grows to match, old rows
     * bit-identical and new ones drawn as {@link VocabResize} says. Tokens already in the vocabulary are
     * skipped (no duplicate id); see {@link Tokenizer#withAddedTokens}. This instance is left as it was and
     * still owns its model: close both.
     *
     * <p>A model whose vocabulary is already larger than its tokenizer's (padded to a round size) keeps its
     * size while the new ids fit; those spare rows become the new tokens' rows unchanged.
     *
     * @param seed drives the draw of the new embedding rows
     */
    public MaskedLm addTokens(List<String> tokens, long seed) {
        Tokenizer grown = tokenizer.withAddedTokens(tokens);
        int size = Math.max(model.config().vocabSize(), grown.vocabSize());
        return new MaskedLm(VocabResize.resize(model, size, seed), grown, source);
    }

    /** {@link #addTokens(List, long)} with seed 0. */
    public MaskedLm addTokens(List<String> tokens) {
        return addTokens(tokens, 0);
    }

    /**
     * SHA-256 over every parameter's name, shape and float32 bytes, in checkpoint order: two models share a
     * fingerprint exactly when they compute the same function. Tables built by a model carry it.
     */
    public synchronized String fingerprint() {
        if (fingerprint == null) {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                    d.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    d.update(e.getValue().getShape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    float[] v = e.getValue().toFloatArray();
                    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                    d.update(b.array());
                }
                fingerprint = HexFormat.of().formatHex(d.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return fingerprint;
    }

    /** Writes a Hugging Face directory that Python's transformers can load, with provenance. */
    public void save(Path dir, Provenance provenance) {
        save(dir, provenance, Map.of(), new JsonObject());
    }

    /**
     * Writes a Hugging Face directory with {@code extra} tensors in the same {@code model.safetensors} (a task head;
     * a name the encoder also has, such as its pooler, is replaced) and {@code configMembers} set in
     * {@code config.json} over the encoder's.
     */
    public void save(Path dir, Provenance provenance, Map<String, HostTensor> extra, JsonObject configMembers) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new InfuseException("cannot create " + dir + ": " + e.getMessage());
        }
        Checkpoints.writeHuggingFace(model, dir, extra, configMembers);
        tokenizer.save(dir);
        provenance.setting("model_fingerprint", fingerprint()).write(dir.resolve("provenance.json"));
    }

    @Override
    public void close() {
        model.close();
    }
}
