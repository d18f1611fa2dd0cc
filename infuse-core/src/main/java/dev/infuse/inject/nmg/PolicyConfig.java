package dev.infuse.inject.nmg;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a masking policy and the model it reads. The policy's input is that model's last hidden
 * states, so it only means something on the same model: the fingerprint and hidden size say which.
 *
 * @param hidden the model's hidden size H, the width of every state the policy reads
 * @param heads attention heads of the policy's transformer layer (the model's)
 * @param intermediate the layer's feed-forward width (the model's)
 * @param mlp the width of the token and value MLPs (128 in the reference)
 * @param rate the share of a text's maskable tokens to choose (0.05 in the reference)
 * @param modelFingerprint {@link dev.infuse.model.MaskedLm#fingerprint} of the model the policy was trained on
 */
public record PolicyConfig(int hidden, int heads, int intermediate, int mlp, double rate, float layerNormEps, String modelFingerprint) {
    static final String FORMAT = "infuse-nmg-policy-1";
    public static final String FILE = "policy.json";

    public PolicyConfig {
        if (hidden < 1 || heads < 1 || hidden % heads != 0 || intermediate < 1 || mlp < 1) {
            throw new InfuseException("policy: hidden " + hidden + " must be a positive multiple of heads " + heads
                    + ", and the widths positive");
        }
        if (!(rate > 0 && rate < 1)) {
            throw new InfuseException("policy: mask rate must be in (0, 1), found " + rate);
        }
    }

    /** The reference's policy for {@code model}: its hidden size and heads, an MLP of 128, 5% of the tokens. */
    public static PolicyConfig forModel(BertConfig model, String fingerprint) {
        return new PolicyConfig(model.hiddenSize(), model.numAttentionHeads(), model.intermediateSize(), 128, 0.05,
                model.layerNormEps(), fingerprint);
    }

    public int headSize() {
        return hidden / heads;
    }

    /** k = max(1, floor(rate · length)) over the {@code maskable} tokens; 0 when there are none. */
    public int k(int maskable) {
        return maskable == 0 ? 0 : Math.max(1, (int) Math.floor(rate * maskable));
    }

    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("hidden_size", hidden);
        o.addProperty("num_attention_heads", heads);
        o.addProperty("intermediate_size", intermediate);
        o.addProperty("mlp_size", mlp);
        o.addProperty("mask_rate", rate);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("model_fingerprint", modelFingerprint);
        return dev.infuse.io.Jsons.pretty().toJson(o) + "\n";
    }

    static PolicyConfig read(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) {
                throw new InfuseException(file + " is not an NMG policy config (format " + FORMAT + ")");
            }
            return new PolicyConfig(o.get("hidden_size").getAsInt(), o.get("num_attention_heads").getAsInt(),
                    o.get("intermediate_size").getAsInt(), o.get("mlp_size").getAsInt(), o.get("mask_rate").getAsDouble(),
                    o.get("layer_norm_eps").getAsFloat(), o.get("model_fingerprint").getAsString());
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage());
        } catch (InfuseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InfuseException("malformed NMG policy config " + file + ": " + e.getMessage());
        }
    }
}
