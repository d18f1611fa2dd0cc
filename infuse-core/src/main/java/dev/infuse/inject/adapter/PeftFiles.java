package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.SaveContext;
import dev.infuse.model.BertConfig;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.LayerHook;
import dev.infuse.model.ParameterSpec;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA in the two files PEFT's {@code save_pretrained} writes and {@code PeftModel.from_pretrained} reads:
 * {@code adapter_config.json} (LoraConfig's fields, keys sorted as PEFT writes them) and
 * {@code adapter_model.safetensors} with PEFT's saved names. A task head goes in as PEFT saves its
 * {@code modules_to_save}: in memory {@code classifier.modules_to_save.default.weight}, on disk
 * {@code base_model.model.classifier.weight} (PEFT's get_peft_model_state_dict drops "modules_to_save." and the
 * adapter name when saving).
 *
 * <p>Reading takes any PEFT LoRA on a BERT encoder's projections: unknown config keys are ignored, the wrapped
 * modules and layers are read from the tensor names, and what infuse cannot compute (DoRA, trained biases,
 * per-module rank patterns, fan_in_fan_out, LoRA on embeddings) is one error line.
 */
public final class PeftFiles {
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final Pattern LORA_NAME = Pattern.compile("(?:bert|roberta)\\.encoder\\.layer\\.(\\d+)\\.(.+)\\.(lora_A|lora_B)\\.weight");

    private PeftFiles() {}

    static JsonObject write(Lora lora, Path dir, SaveContext context) {
        LoraSpec s = lora.spec();
        TreeMap<String, Object> c = new TreeMap<>();
        c.put("alpha_pattern", new JsonObject());
        c.put("auto_mapping", null);
        c.put("base_model_name_or_path", context.baseModel());
        c.put("bias", "none");
        c.put("exclude_modules", null);
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.put("layer_replication", null);
        c.put("layers_pattern", null);
        c.put("layers_to_transform", null);
        c.put("loftq_config", new JsonObject());
        c.put("lora_alpha", AdapterFiles.number(s.alpha()));
        c.put("lora_bias", false);
        c.put("lora_dropout", (double) s.dropout());
        c.put("megatron_config", null);
        c.put("megatron_core", "megatron.core");
        c.put("modules_to_save", context.head().isEmpty() ? null : headModules(context.head()));
        c.put("peft_type", "LORA");
        c.put("r", s.r());
        c.put("rank_pattern", new JsonObject());
        c.put("revision", null);
        c.put("target_modules", s.targets());
        c.put("task_type", taskType(context.task()));
        c.put("use_dora", false);
        c.put("use_rslora", false);
        JsonObject o = new JsonObject();
        com.google.gson.Gson g = new com.google.gson.GsonBuilder().serializeNulls().create();
        c.forEach((k, v) -> o.add(k, v instanceof JsonElement e ? e : g.toJsonTree(v)));
        AdapterFiles.write(dir.resolve(AdapterFiles.CONFIG), o);

        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        lora.parameters().forEach((n, a) -> tensors.put(n, Checkpoints.toHost(a)));
        context.head().forEach((n, t) -> tensors.put(Lora.PEFT_PREFIX + n, t));
        Safetensors.write(dir.resolve(WEIGHTS), tensors);
        return AdapterFiles.entry(dir, AdapterFiles.CONFIG, WEIGHTS, lora.identity());
    }

    /** PEFT's task_type: TOKEN_CLS for NER, SEQ_CLS for the tasks that label a whole row, null for MLM pretraining. */
    static String taskType(String task) {
        if (task == null) {
            return null;
        }
        return task.equals("ner") ? "TOKEN_CLS" : "SEQ_CLS";
    }

    private static List<String> headModules(Map<String, HostTensor> head) {
        List<String> out = new ArrayList<>();
        for (String n : head.keySet()) {
            String module = n.substring(0, n.lastIndexOf('.'));
            if (!out.contains(module)) {
                out.add(module);
            }
        }
        return out;
    }

    /** Whether {@code dir} holds a PEFT LoRA (its config says peft_type LORA). */
    public static boolean isLora(Path dir) {
        Path f = dir.resolve(AdapterFiles.CONFIG);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        JsonObject c = AdapterFiles.read(f);
        return c.has("peft_type") && c.get("peft_type").isJsonPrimitive() && c.get("peft_type").getAsString().equals("LORA");
    }

    /** {@code adapter_config.json}'s base_model_name_or_path, or null. */
    public static String baseModel(Path dir) {
        JsonObject c = AdapterFiles.read(dir.resolve(AdapterFiles.CONFIG));
        return AdapterFiles.isNull(c, "base_model_name_or_path") ? null : c.get("base_model_name_or_path").getAsString();
    }

    /** The LoRA in {@code dir}, checked against the model {@code c}; every disagreement is one line naming the file. */
    public static Lora read(Path dir, BertConfig c) {
        Path configFile = dir.resolve(AdapterFiles.CONFIG);
        JsonObject o = AdapterFiles.read(configFile);
        String where = configFile.toString();
        String type = AdapterFiles.isNull(o, "peft_type") ? "(none)" : o.get("peft_type").getAsString();
        if (!type.equals("LORA")) {
            throw new InfuseException(where + " holds a PEFT " + type + " adapter; infuse reads LORA");
        }
        int r = integer(o, "r", 8, where);
        double alpha = AdapterFiles.isNull(o, "lora_alpha") ? 8 : o.get("lora_alpha").getAsDouble();
        double dropout = AdapterFiles.isNull(o, "lora_dropout") ? 0 : o.get("lora_dropout").getAsDouble();
        refuse(o, "bias", "none", where, "trained biases");
        refuse(o, "use_dora", false, where, "DoRA");
        refuse(o, "fan_in_fan_out", false, where, "fan_in_fan_out (BERT's projections are nn.Linear)");
        refuse(o, "lora_bias", false, where, "a LoRA bias");
        for (String k : List.of("rank_pattern", "alpha_pattern")) {
            if (!AdapterFiles.isNull(o, k) && o.get(k).isJsonObject() && !o.getAsJsonObject(k).isEmpty()) {
                throw new InfuseException(where + " sets " + k + "; infuse reads one rank and one alpha for every module");
            }
        }
        boolean rs = !AdapterFiles.isNull(o, "use_rslora") && o.get("use_rslora").getAsBoolean();
        float scale = (float) (rs ? alpha / Math.sqrt(r) : alpha / r);

        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new InfuseException("missing " + weights + " beside " + configFile);
        }
        Map<String, HostTensor> tensors = Safetensors.read(weights);
        String wf = weights.toString();
        Map<String, HostTensor[]> found = new TreeMap<>();
        Map<String, HostTensor> head = new LinkedHashMap<>();
        String prefix = ParameterSpec.prefix(c);
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            String n = e.getKey().startsWith(Lora.PEFT_PREFIX) ? e.getKey().substring(Lora.PEFT_PREFIX.length()) : e.getKey();
            Matcher m = LORA_NAME.matcher(n);
            if (m.matches()) {
                int layer = Integer.parseInt(m.group(1));
                String module = m.group(2);
                if (!n.startsWith(prefix) || layer >= c.numHiddenLayers() || !LayerHook.LINEAR_MODULES.contains(module)) {
                    throw new InfuseException(wf + ": " + e.getKey() + " names no projection of this " + c.numHiddenLayers() + "-layer "
                            + prefix.substring(0, prefix.length() - 1) + " model");
                }
                found.computeIfAbsent(layer + ":" + module, k -> new HostTensor[2])[m.group(3).equals("lora_A") ? 0 : 1] = e.getValue();
            } else if (n.contains("lora_")) {
                throw new InfuseException(wf + ": " + e.getKey() + " is a LoRA tensor infuse cannot apply (only lora_A and lora_B on encoder projections)");
            } else {
                head.put(n, e.getValue());
            }
        }
        if (found.isEmpty()) {
            throw new InfuseException(wf + " holds no lora_A/lora_B tensor of an encoder projection");
        }
        NDManager mg = Engines.newManager();
        try {
            List<Lora.Pair> pairs = new ArrayList<>();
            List<String> modules = new ArrayList<>();
            List<Map.Entry<String, HostTensor[]>> sorted = new ArrayList<>(found.entrySet());
            sorted.sort(java.util.Comparator.comparingInt((Map.Entry<String, HostTensor[]> en) -> Integer.parseInt(en.getKey().split(":")[0]))
                    .thenComparingInt(en -> LayerHook.LINEAR_MODULES.indexOf(en.getKey().split(":")[1])));
            for (Map.Entry<String, HostTensor[]> e : sorted) {
                int layer = Integer.parseInt(e.getKey().split(":")[0]);
                String module = e.getKey().split(":")[1];
                long[] w = Lora.weightShape(c, module); // (out, in)
                String an = Lora.name(c, layer, module, "lora_A");
                String bn = Lora.name(c, layer, module, "lora_B");
                NDArray a = checked(mg, e.getValue()[0], an, new long[] {r, w[1]}, wf);
                NDArray b = checked(mg, e.getValue()[1], bn, new long[] {w[0], r}, wf);
                pairs.add(new Lora.Pair(layer, module, a, b));
                if (!modules.contains(module)) {
                    modules.add(module);
                }
            }
            modules.sort(java.util.Comparator.comparingInt(LayerHook.LINEAR_MODULES::indexOf));
            LoraSpec spec = new LoraSpec(r, (float) alpha, (float) dropout, modules);
            return new Lora(spec, scale, c, mg, pairs, head);
        } catch (RuntimeException e) {
            mg.close();
            throw e;
        }
    }

    private static NDArray checked(NDManager m, HostTensor t, String name, long[] shape, String where) {
        if (t == null) {
            throw new InfuseException(where + " lacks " + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new InfuseException(where + ": " + name + " has shape " + t.shapeString() + ", but r and the model need " + Arrays.toString(shape));
        }
        return Tensors.fromHost(m, t);
    }

    private static int integer(JsonObject o, String key, int fallback, String where) {
        if (AdapterFiles.isNull(o, key)) {
            return fallback;
        }
        double v = o.get(key).getAsDouble();
        if (v != Math.rint(v) || v < 1) {
            throw new InfuseException(where + ": " + key + " must be a whole number of at least 1, found " + o.get(key));
        }
        return (int) v;
    }

    private static void refuse(JsonObject o, String key, Object plain, String where, String what) {
        if (AdapterFiles.isNull(o, key)) {
            return;
        }
        JsonElement v = o.get(key);
        boolean same = plain instanceof Boolean b ? v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean() == b
                : v.isJsonPrimitive() && v.getAsString().equals(plain);
        if (!same) {
            throw new InfuseException(where + " asks for " + what + " (" + key + ": " + v + "), which infuse does not compute");
        }
    }
}
