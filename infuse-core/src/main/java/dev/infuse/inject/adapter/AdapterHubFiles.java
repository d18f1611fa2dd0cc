package dev.infuse.inject.adapter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.inject.SaveContext;
import dev.infuse.model.BertConfig;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bottleneck adapter in the files AdapterHub's {@code adapters} library saves with {@code save_adapter}:
 * {@code adapter_config.json} ({@code {"config": {BnConfig's fields}, "hidden_size", "model_class", "model_name",
 * "model_type", "name", "version"}}) and {@code adapter.safetensors} (its {@code SAFE_WEIGHTS_NAME}) with the model's
 * own parameter names, {@code bert.encoder.layer.0.output.adapters.<name>.adapter_down.0.weight} and so on.
 *
 * <p>Reading accepts the two layouts infuse computes, told apart as AdapterHub's configs differ: Houlsby
 * ({@code mh_adapter} true, {@code original_ln_before} false) and Pfeiffer ({@code mh_adapter} false,
 * {@code original_ln_before} true), each with {@code residual_before_ln} true and the block's LayerNorm after;
 * any other option that changes the numbers (gating, extra LayerNorms, PHM, parallel, scaling) is one error line.
 */
public final class AdapterHubFiles {
    public static final String WEIGHTS = "adapter.safetensors";

    private AdapterHubFiles() {}

    static JsonObject write(BottleneckAdapter a, Path dir, SaveContext context) {
        boolean houlsby = a.layout() == BottleneckAdapter.Layout.HOULSBY;
        TreeMap<String, Object> c = new TreeMap<>();
        c.put("adapter_residual_before_ln", false);
        c.put("architecture", "bottleneck");
        c.put("cross_adapter", false);
        c.put("dropout", 0.0);
        c.put("factorized_phm_W", true);
        c.put("factorized_phm_rule", false);
        c.put("hypercomplex_nonlinearity", "glorot-uniform");
        c.put("init_weights", "bert");
        c.put("inv_adapter", null);
        c.put("inv_adapter_reduction_factor", null);
        c.put("is_parallel", false);
        c.put("learn_phm", true);
        c.put("leave_out", java.util.List.of());
        c.put("ln_after", false);
        c.put("ln_before", false);
        c.put("mh_adapter", houlsby);
        c.put("non_linearity", a.nonLinearity().configName());
        c.put("original_ln_after", true);
        c.put("original_ln_before", !houlsby);
        c.put("output_adapter", true);
        c.put("phm_bias", true);
        c.put("phm_c_init", "normal");
        c.put("phm_dim", 4);
        c.put("phm_init_range", 0.0001);
        c.put("phm_layer", false);
        c.put("phm_rank", 1);
        c.put("reduction_factor", a.reduction());
        c.put("residual_before_ln", true);
        c.put("scaling", 1.0);
        c.put("shared_W_phm", false);
        c.put("shared_phm_rule", true);
        c.put("stochastic_depth", 0.0);
        c.put("use_gating", false);
        com.google.gson.Gson g = new com.google.gson.GsonBuilder().serializeNulls().create();
        JsonObject config = new JsonObject();
        c.forEach((k, v) -> config.add(k, g.toJsonTree(v)));
        BertConfig bc = a.config();
        JsonObject o = new JsonObject();
        o.add("config", config);
        o.addProperty("hidden_size", bc.hiddenSize());
        o.addProperty("model_class", bc.isRoberta() ? "RobertaAdapterModel" : "BertAdapterModel");
        o.add("model_name", g.toJsonTree(context.baseModel()));
        o.addProperty("model_type", bc.isRoberta() ? "roberta" : "bert");
        o.addProperty("name", a.adapterName());
        o.addProperty("version", "adapters.1.0.0");
        AdapterFiles.write(dir.resolve(AdapterFiles.CONFIG), o);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        a.parameters().forEach((n, t) -> tensors.put(n, Checkpoints.toHost(t)));
        Safetensors.write(dir.resolve(WEIGHTS), tensors);
        return AdapterFiles.entry(dir, AdapterFiles.CONFIG, WEIGHTS, a.identity());
    }

    /** Whether {@code dir}'s adapter_config.json is AdapterHub's (a "config" object inside). */
    public static boolean isBottleneck(Path dir) {
        Path f = dir.resolve(AdapterFiles.CONFIG);
        return Files.isRegularFile(f) && AdapterFiles.read(f).has("config") && AdapterFiles.read(f).get("config").isJsonObject();
    }

    /** The adapter in {@code dir}, checked against the model {@code c}. */
    public static BottleneckAdapter read(Path dir, BertConfig c) {
        Path file = dir.resolve(AdapterFiles.CONFIG);
        String where = file.toString();
        JsonObject o = AdapterFiles.read(file);
        if (!o.has("config") || !o.get("config").isJsonObject()) {
            throw new InfuseException(where + " is not an AdapterHub adapter config (no \"config\" object)");
        }
        JsonObject k = o.getAsJsonObject("config");
        if (!AdapterFiles.isNull(k, "architecture") && !k.get("architecture").getAsString().equals("bottleneck")) {
            throw new InfuseException(where + " holds a " + k.get("architecture").getAsString() + " adapter; infuse reads bottleneck adapters");
        }
        boolean mh = flag(k, "mh_adapter", false);
        boolean out = flag(k, "output_adapter", true);
        boolean lnBefore = flag(k, "original_ln_before", false);
        BottleneckAdapter.Layout layout;
        if (mh && out && !lnBefore) {
            layout = BottleneckAdapter.Layout.HOULSBY;
        } else if (!mh && out && lnBefore) {
            layout = BottleneckAdapter.Layout.PFEIFFER;
        } else {
            throw new InfuseException(where + ": mh_adapter " + mh + ", output_adapter " + out + ", original_ln_before " + lnBefore
                    + " is neither Houlsby's layout nor Pfeiffer's, the two infuse computes");
        }
        require(k, "original_ln_after", true, where);
        require(k, "residual_before_ln", true, where);
        require(k, "adapter_residual_before_ln", false, where);
        require(k, "ln_before", false, where);
        require(k, "ln_after", false, where);
        require(k, "use_gating", false, where);
        require(k, "is_parallel", false, where);
        require(k, "phm_layer", false, where);
        if (!AdapterFiles.isNull(k, "scaling") && !(k.get("scaling").isJsonPrimitive() && k.get("scaling").getAsJsonPrimitive().isNumber()
                && k.get("scaling").getAsDouble() == 1.0)) {
            throw new InfuseException(where + ": scaling " + k.get("scaling") + " is not supported (1.0)");
        }
        if (!AdapterFiles.isNull(k, "leave_out") && !k.getAsJsonArray("leave_out").isEmpty()) {
            throw new InfuseException(where + ": leave_out " + k.get("leave_out") + " is not supported; infuse puts the adapter in every layer");
        }
        JsonElement rf = k.get("reduction_factor");
        if (rf == null || !rf.isJsonPrimitive() || !rf.getAsJsonPrimitive().isNumber() || rf.getAsDouble() != Math.rint(rf.getAsDouble())
                || rf.getAsDouble() < 1) {
            throw new InfuseException(where + ": reduction_factor " + rf + " must be a whole number of at least 1");
        }
        Bottleneck.NonLinearity act = Bottleneck.NonLinearity.parse(
                AdapterFiles.isNull(k, "non_linearity") ? layout.defaultAct.configName() : k.get("non_linearity").getAsString(), where);
        String name = AdapterFiles.isNull(o, "name") ? BottleneckAdapter.NAME : o.get("name").getAsString();
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new InfuseException("missing " + weights + " beside " + file);
        }
        return BottleneckAdapter.of(layout, name, rf.getAsInt(), act, c, Safetensors.read(weights), weights.toString());
    }

    private static boolean flag(JsonObject k, String key, boolean fallback) {
        return AdapterFiles.isNull(k, key) ? fallback : k.get(key).getAsBoolean();
    }

    private static void require(JsonObject k, String key, boolean value, String where) {
        if (flag(k, key, value) != value) {
            throw new InfuseException(where + ": " + key + " " + !value + " is not supported by infuse's bottleneck adapters");
        }
    }
}
