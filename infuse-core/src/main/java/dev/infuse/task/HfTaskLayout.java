package dev.infuse.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.model.BertConfig;
import dev.infuse.model.ParameterSpec;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a fine-tuned model's head sits in its Hugging Face {@code model.safetensors} and {@code config.json}, so
 * that Python's transformers computes the same logits as infuse where one of its task classes can:
 *
 * <ul>
 *   <li><b>NER</b> (encoder trained, or frozen and read at its top layer): {@code BertForTokenClassification}. infuse
 *       reads each word's first piece; transformers gives logits for every piece, and the first pieces' are
 *       infuse's, bit for bit in exact arithmetic.
 *   <li><b>Classification</b>: {@code BertForSequenceClassification}. That class reads [CLS] through the pooler
 *       ({@code tanh(W h + b)}); infuse's head reads the [CLS] state itself. The file's pooler is therefore
 *       {@code s·I} with {@code s = 2^-16} and the classifier's weight is divided by {@code s}: {@code tanh(s h)/s}
 *       equals {@code h} to a relative {@code (s h)^2/3}, below 1e-6 for any hidden value under 100. A power of
 *       two makes the division exact, so infuse reads its own weights back unchanged. RoBERTa's
 *       {@code classifier.dense}/{@code classifier.out_proj} get the same treatment.
 *   <li>Everything else (typing's span means, relation's two markers, the frozen embedding or scalar-mix
 *       modes): transformers has no class that pools this way. The config names the plain encoder
 *       ({@code BertModel}), the head is still stored under {@code classifier.*} (and {@code scalar_mix.*}), and
 *       {@code infuse_task_head} in the config says how it reads the encoder; the model card spells it out.
 * </ul>
 */
public final class HfTaskLayout {
    /** The pooler's scale for sequence classification: a power of two, so scaling the classifier by its inverse is exact. */
    static final float POOLER_SCALE = 1f / 65536f;
    /** The config key holding infuse's description of the head. */
    public static final String CONFIG_KEY = "infuse_task_head";

    /** What the config's {@code architectures} names, and how the head's tensors are stored. */
    public enum Kind {
        TOKEN_CLASSIFICATION, SEQUENCE_CLASSIFICATION, ENCODER_ONLY
    }

    private final BertConfig config;
    private final Kind kind;
    private final String task;
    private final Transfer transfer;

    private HfTaskLayout(BertConfig config, Kind kind, String task, Transfer transfer) {
        this.config = config;
        this.kind = kind;
        this.task = task;
        this.transfer = transfer;
    }

    /** The layout of a model for {@code task} fine-tuned with {@code transfer} on an encoder with {@code config}. */
    public static HfTaskLayout of(BertConfig config, String task, Transfer transfer) {
        return of(config, task, transfer, config.hiddenSize());
    }

    /**
     * The same for a head that reads states {@code headWidth} wide: wider than the encoder's (a module after the
     * encoder, K-Adapter's {@code [last ; adapter]}), no transformers task class computes it, so the file is encoder-only.
     */
    public static HfTaskLayout of(BertConfig config, String task, Transfer transfer, int headWidth) {
        boolean lastLayer = (transfer == Transfer.FULL || transfer == Transfer.TOP) && headWidth == config.hiddenSize();
        Kind kind = !lastLayer ? Kind.ENCODER_ONLY : switch (task) {
            case "ner" -> Kind.TOKEN_CLASSIFICATION;
            case "classify" -> Kind.SEQUENCE_CLASSIFICATION;
            default -> Kind.ENCODER_ONLY;
        };
        return new HfTaskLayout(config, kind, task, transfer);
    }

    public Kind kind() {
        return kind;
    }

    /** The class name transformers instantiates for this file. */
    public String architecture() {
        String family = config.isRoberta() ? "Roberta" : "Bert";
        return family + switch (kind) {
            case TOKEN_CLASSIFICATION -> "ForTokenClassification";
            case SEQUENCE_CLASSIFICATION -> "ForSequenceClassification";
            case ENCODER_ONLY -> "Model";
        };
    }

    /** How the head reads the encoder, in words a model card and a config can carry. */
    public String pooling() {
        if (transfer == Transfer.EMBEDDINGS) {
            return "embedding output (hidden state 0), " + targetPooling();
        }
        if (transfer == Transfer.MIX) {
            return "softmax(scalar_mix.weights)-weighted sum of all hidden states times scalar_mix.gamma, " + targetPooling();
        }
        return "last hidden state, " + targetPooling();
    }

    private String targetPooling() {
        return switch (task) {
            case "ner" -> "the first word piece of each word";
            case "classify" -> "the [CLS] state (position 0), no pooler";
            case "typing" -> "the mean of the word pieces overlapping the span";
            case "relation" -> "the head and tail start-marker states, concatenated (head first)";
            default -> "task " + task;
        };
    }

    /** The head's tensors under the names this layout stores them by, the pooler included when it is part of the head. */
    public Map<String, HostTensor> headTensors(Map<String, HostTensor> head) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        if (kind == Kind.SEQUENCE_CLASSIFICATION) {
            HostTensor w = head.get(TaskHead.WEIGHT);
            int h = (int) w.shape()[1];
            if (config.isRoberta()) {
                out.put("classifier.dense.weight", scaledIdentity(h));
                out.put("classifier.dense.bias", zeros(h));
                out.put("classifier.out_proj.weight", scaled(w, 1f / POOLER_SCALE));
                out.put("classifier.out_proj.bias", head.get(TaskHead.BIAS));
            } else {
                String p = ParameterSpec.prefix(config);
                out.put(p + "pooler.dense.weight", scaledIdentity(h));
                out.put(p + "pooler.dense.bias", zeros(h));
                out.put(TaskHead.WEIGHT, scaled(w, 1f / POOLER_SCALE));
                out.put(TaskHead.BIAS, head.get(TaskHead.BIAS));
            }
            return out;
        }
        out.putAll(head);
        return out;
    }

    /**
     * Takes the head's tensors out of a file's tensors (what is left is the encoder's) and returns them under
     * infuse's names. A missing head is one error line naming what was looked for.
     */
    public Map<String, HostTensor> takeHead(Map<String, HostTensor> all, String source) {
        Map<String, HostTensor> head = new LinkedHashMap<>();
        if (kind == Kind.SEQUENCE_CLASSIFICATION) {
            String w = config.isRoberta() ? "classifier.out_proj.weight" : TaskHead.WEIGHT;
            String b = config.isRoberta() ? "classifier.out_proj.bias" : TaskHead.BIAS;
            head.put(TaskHead.WEIGHT, scaled(require(all, w, source), POOLER_SCALE));
            head.put(TaskHead.BIAS, require(all, b, source));
            if (config.isRoberta()) {
                all.remove("classifier.dense.weight");
                all.remove("classifier.dense.bias");
            }
            return head;
        }
        for (String n : List.of(TaskHead.WEIGHT, TaskHead.BIAS)) {
            head.put(n, require(all, n, source));
        }
        for (String n : List.of(TaskHead.MIX_WEIGHTS, TaskHead.MIX_GAMMA)) {
            HostTensor t = all.remove(n);
            if (t != null) {
                head.put(n, t);
            }
        }
        return head;
    }

    /** The config's task members: {@code architectures}, {@code id2label}, {@code label2id} and infuse's description. */
    public JsonObject configMembers(Labels labels) {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(architecture());
        o.add("architectures", arch);
        JsonObject id2label = new JsonObject();
        JsonObject label2id = new JsonObject();
        for (int i = 0; i < labels.size(); i++) {
            id2label.addProperty(Integer.toString(i), labels.name(i));
            label2id.addProperty(labels.name(i), i);
        }
        o.add("id2label", id2label);
        o.add("label2id", label2id);
        JsonObject infuse = new JsonObject();
        infuse.addProperty("task", task);
        infuse.addProperty("transfer", transfer.flag());
        infuse.addProperty("reads", pooling());
        if (kind == Kind.SEQUENCE_CLASSIFICATION) {
            infuse.addProperty("pooler", "identity scaled by " + POOLER_SCALE + "; the classifier weight is divided by it");
        }
        o.add(CONFIG_KEY, infuse);
        return o;
    }

    /** The label names of a config's {@code id2label}, in id order; null when the config has none. */
    public static List<String> labelsOf(JsonObject config) {
        if (!config.has("id2label")) {
            return null;
        }
        JsonObject m = config.getAsJsonObject("id2label");
        String[] names = new String[m.size()];
        for (Map.Entry<String, JsonElement> e : m.entrySet()) {
            int i;
            try {
                i = Integer.parseInt(e.getKey());
            } catch (NumberFormatException bad) {
                throw new InfuseException("config.json: id2label key \"" + e.getKey() + "\" is not a number");
            }
            if (i < 0 || i >= names.length || names[i] != null) {
                throw new InfuseException("config.json: id2label ids must be 0.." + (names.length - 1) + " once each, found " + i);
            }
            names[i] = e.getValue().getAsString();
        }
        return List.of(names);
    }

    private static HostTensor require(Map<String, HostTensor> all, String name, String source) {
        HostTensor t = all.remove(name);
        if (t == null) {
            throw new InfuseException(source + ": the task head " + name + " is missing");
        }
        return t;
    }

    private static HostTensor scaledIdentity(int h) {
        float[] v = new float[h * h];
        for (int i = 0; i < h; i++) {
            v[i * h + i] = POOLER_SCALE;
        }
        return new HostTensor(new long[] {h, h}, FloatBuffer.wrap(v));
    }

    private static HostTensor zeros(int h) {
        return new HostTensor(new long[] {h}, FloatBuffer.wrap(new float[h]));
    }

    private static HostTensor scaled(HostTensor t, float by) {
        FloatBuffer src = t.data().duplicate();
        src.rewind();
        float[] v = new float[src.remaining()];
        src.get(v);
        for (int i = 0; i < v.length; i++) {
            v[i] *= by;
        }
        return new HostTensor(t.shape(), FloatBuffer.wrap(v));
    }
}
