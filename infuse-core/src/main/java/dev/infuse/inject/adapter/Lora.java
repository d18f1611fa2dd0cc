package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.google.gson.JsonObject;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.SaveContext;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.ForwardContext;
import dev.infuse.model.LayerHook;
import dev.infuse.model.ParameterSpec;
import dev.infuse.model.io.HostTensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LoRA on named projections of every layer, as PEFT computes it: {@code base + scale·B·A·dropout(x)}, with
 * {@code scale = alpha / r}, A [r, in] and B [out, r]. Parameters carry PEFT's saved names
 * ({@code base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight}), so saving is a copy.
 *
 * <p>A fresh LoRA draws A as PEFT does ({@code kaiming_uniform_(a=sqrt(5))}, which for a [r, in] matrix is
 * U(-1/sqrt(in), 1/sqrt(in))) and sets B to zero: the wrapped model starts as the base model exactly.
 */
public final class Lora extends AdapterModule {
    static final String PEFT_PREFIX = "base_model.model.";

    /** One wrapped projection: its layer, its name within the layer ({@link LayerHook#LINEAR_MODULES}), A (r, in) and B (out, r). */
    record Pair(int layer, String module, NDArray a, NDArray b) {}

    private final LoraSpec spec;
    private final float scale;
    private final BertConfig config;
    private final Map<String, Pair> pairs = new LinkedHashMap<>(); // "<layer>:<module>"
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, HostTensor> head;

    Lora(LoraSpec spec, float scale, BertConfig config, NDManager manager, List<Pair> wrapped, Map<String, HostTensor> head) {
        super(manager);
        this.spec = spec;
        this.scale = scale;
        this.config = config;
        for (Pair p : wrapped) {
            pairs.put(p.layer() + ":" + p.module(), p);
            parameters.put(name(config, p.layer(), p.module(), "lora_A"), p.a());
            parameters.put(name(config, p.layer(), p.module(), "lora_B"), p.b());
        }
        this.head = Map.copyOf(head);
    }

    /** Fresh A (Kaiming-uniform from {@code seed}) and zero B on every module {@code spec} targets, in layer order. */
    static Lora create(LoraSpec spec, BertConfig c, long seed) {
        NDManager m = Engines.newManager();
        Random rng = new Random(seed);
        List<Pair> wrapped = new java.util.ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            for (String module : spec.modules()) {
                long[] shape = weightShape(c, module); // (out, in)
                float bound = (float) (1 / Math.sqrt(shape[1]));
                float[] a = new float[Math.toIntExact(spec.r() * shape[1])];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (rng.nextFloat() * 2 - 1) * bound;
                }
                wrapped.add(new Pair(l, module, Tensors.copyOf(m, a, new Shape(spec.r(), shape[1])), m.zeros(new Shape(shape[0], spec.r()))));
            }
        }
        return new Lora(spec, spec.scale(), c, m, wrapped, Map.of());
    }

    /** PEFT's saved name of a LoRA matrix ({@code which} is lora_A or lora_B). */
    static String name(BertConfig c, int layer, String module, String which) {
        return PEFT_PREFIX + ParameterSpec.prefix(c) + "encoder.layer." + layer + "." + module + "." + which + ".weight";
    }

    /** The base weight's shape (out, in) of a projection, as {@link ParameterSpec} has it. */
    static long[] weightShape(BertConfig c, String module) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        return switch (module) {
            case "intermediate.dense" -> new long[] {i, h};
            case "output.dense" -> new long[] {h, i};
            default -> new long[] {h, h};
        };
    }

    public LoraSpec spec() {
        return spec;
    }

    public float scale() {
        return scale;
    }

    BertConfig config() {
        return config;
    }

    List<Pair> pairs() {
        return List.copyOf(pairs.values());
    }

    /** The tensors of a PEFT file besides LoRA's (modules_to_save: a task head), by transformers' names ({@code classifier.weight}). */
    public Map<String, HostTensor> head() {
        return head;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public boolean wraps(int layer, String module) {
        return pairs.containsKey(layer + ":" + module);
    }

    @Override
    public NDArray linear(int layer, String module, NDArray x, NDArray base, ForwardContext context, boolean training) {
        Pair p = pairs.get(layer + ":" + module);
        NDArray in = BertModel.dropout(x, spec.dropout(), training); // x itself when not training or rate 0
        try (NDArray down = Linear.linear(in, p.a(), null).singletonOrThrow(); // (B, T, r)
                NDArray up = Linear.linear(down, p.b(), null).singletonOrThrow(); // (B, T, out)
                NDArray scaled = Tensors.scale(up, scale)) {
            return base.add(scaled);
        } finally {
            if (in != x) {
                in.close();
            }
        }
    }

    /** The LoRA a model directory's task.json names, read from its PEFT files (their SHA-256 checked against the entry). */
    public static Lora load(dev.infuse.inject.LoadContext context) {
        AdapterFiles.checkEntry(context);
        return PeftFiles.read(context.dir(), context.lm().model().config());
    }

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public Map<String, Object> identity() {
        return spec.identity();
    }



    @Override
    public JsonObject save(Path dir, SaveContext context) {
        return PeftFiles.write(this, dir, context);
    }

}
