package dev.infuse.model.tf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Google BERT TF1 checkpoint into Hugging Face {@code BertForMaskedLM} tensor names and layouts.
 *
 * <p>TF stores a dense kernel as [in, out] (it computes x·W); PyTorch's Linear stores [out, in]
 * (it computes x·Wᵀ), so every {@code kernel} is transposed into a fresh direct buffer. Everything else
 * (embeddings, biases, LayerNorm gamma/beta, seq_relationship output_weights which is already [2, H])
 * keeps its layout and stays a zero-copy view of the memory-mapped shard.
 */
public final class TfBertConverter {
    /** Config keys, in the order HF's config.json lists them. */
    public static final List<String> CONFIG_KEYS = List.of("vocab_size", "hidden_size", "num_hidden_layers",
            "num_attention_heads", "intermediate_size", "max_position_embeddings", "type_vocab_size");

    private static final Pattern LAYER = Pattern.compile("bert/encoder/layer_(\\d+)/(.+)/(kernel|bias|gamma|beta)");
    private static final Set<String> LAYER_DENSE = Set.of("attention/self/query", "attention/self/key",
            "attention/self/value", "attention/output/dense", "intermediate/dense", "output/dense");
    private static final Set<String> LAYER_NORMS = Set.of("attention/output/LayerNorm", "output/LayerNorm");
    private static final Pattern HF_LAYER = Pattern.compile("bert\\.encoder\\.layer\\.(\\d+)\\.");
    private static final Map<String, String> FIXED = fixedNames();

    /**
     * The converted checkpoint. {@code tensors}: HF name → tensor in HF layout, ordered naturally
     * (embeddings, layer 0..N-1, pooler, cls). {@code config}: the {@link #CONFIG_KEYS}.
     * {@code unmapped}: TF names that are neither mapped nor known training state; the caller decides.
     */
    public record Converted(Path prefix, Map<String, HostTensor> tensors, Map<String, Integer> config, List<String> unmapped) {
        public Converted {
            if (prefix == null || tensors == null || config == null || unmapped == null) {
                throw new IllegalArgumentException("converted checkpoint needs prefix, tensors, config and unmapped");
            }
            if (!config.keySet().equals(Set.copyOf(CONFIG_KEYS))) {
                throw new IllegalArgumentException("config keys " + config.keySet() + ", expected " + CONFIG_KEYS);
            }
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
            unmapped = List.copyOf(unmapped);
        }
    }

    private TfBertConverter() {}

    /**
     * Converts the checkpoint at a folder or prefix (see {@link TensorBundleReader#open}), reading
     * {@code bert_config.json} from the checkpoint's folder (or, for {@code variables/variables}, the
     * SavedModel folder above it) when present.
     */
    public static Converted convert(Path dirOrPrefix) {
        TensorBundleReader reader = TensorBundleReader.open(dirOrPrefix);
        Path folder = reader.prefix().toAbsolutePath().getParent();
        Path config = folder.resolve("bert_config.json");
        if (!Files.isRegularFile(config) && folder.getFileName() != null
                && folder.getFileName().toString().equals("variables") && folder.getParent() != null) {
            config = folder.getParent().resolve("bert_config.json");
        }
        return convert(reader, Files.isRegularFile(config) ? config : null);
    }

    /** Converts every tensor of {@code reader}; {@code bertConfigJson} may be null (then heads = hidden / 64). */
    public static Converted convert(TensorBundleReader reader, Path bertConfigJson) {
        Map<String, HostTensor> out = new TreeMap<>(TfBertConverter::compareNatural);
        Map<String, String> source = new LinkedHashMap<>(); // HF name -> TF name, for duplicate reports
        List<String> unmapped = new ArrayList<>();
        for (TensorBundleReader.Entry e : reader.entries().values()) {
            String tf = e.name();
            if (isTrainingState(tf)) {
                continue;
            }
            Optional<String> hf = hfName(tf);
            if (hf.isEmpty()) {
                unmapped.add(tf);
                continue;
            }
            String previous = source.put(hf.get(), tf);
            if (previous != null) {
                throw new InfuseException(reader.prefix() + ".index: both '" + previous + "' and '" + tf
                        + "' map to " + hf.get());
            }
            HostTensor t = reader.readFloat(tf);
            out.put(hf.get(), tf.endsWith("/kernel") ? transposed(t, tf, reader) : t);
        }
        Map<String, Integer> config = config(reader, out, bertConfigJson);
        return new Converted(reader.prefix(), out, config, unmapped);
    }

    /** The HF name for a TF variable name (optionally {@code module/}-prefixed), or empty if not a BERT weight. */
    public static Optional<String> hfName(String tfName) {
        String n = stripModule(tfName);
        String fixed = FIXED.get(n);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Matcher m = LAYER.matcher(n);
        if (m.matches()) {
            String sub = m.group(2);
            String leaf = m.group(3);
            boolean dense = LAYER_DENSE.contains(sub) && (leaf.equals("kernel") || leaf.equals("bias"));
            boolean norm = LAYER_NORMS.contains(sub) && (leaf.equals("gamma") || leaf.equals("beta"));
            if (dense || norm) {
                return Optional.of("bert.encoder.layer." + Integer.parseInt(m.group(1)) + "." + sub.replace('/', '.')
                        + "." + hfLeaf(leaf));
            }
        }
        return Optional.empty();
    }

    /** Adam slots and the step counter: saved with training checkpoints, meaningless for inference. */
    static boolean isTrainingState(String tfName) {
        String n = stripModule(tfName);
        return n.endsWith("/adam_m") || n.endsWith("/adam_v") || n.equals("global_step");
    }

    /** [rows, cols] → [cols, rows] into a fresh direct buffer; tiled so both sides stay in cache. */
    static FloatBuffer transpose(FloatBuffer src, int rows, int cols) {
        float[] a = new float[rows * cols];
        src.duplicate().get(a);
        float[] b = new float[a.length];
        final int tile = 64;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int iEnd = Math.min(i0 + tile, rows);
                int jEnd = Math.min(j0 + tile, cols);
                for (int i = i0; i < iEnd; i++) {
                    for (int j = j0; j < jEnd; j++) {
                        b[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        FloatBuffer out = ByteBuffer.allocateDirect(b.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return out.put(b).flip();
    }

    private static HostTensor transposed(HostTensor t, String tf, TensorBundleReader reader) {
        long[] s = t.shape();
        if (s.length != 2 || s[0] * s[1] > Integer.MAX_VALUE) {
            throw new InfuseException(reader.prefix() + ".index: kernel '" + tf + "' has shape " + t.shapeString()
                    + ", expected a 2-D [in, out] matrix");
        }
        // TF [in, out] -> HF [out, in]
        return new HostTensor(new long[] {s[1], s[0]}, transpose(t.data(), (int) s[0], (int) s[1]));
    }

    /** Derives sizes from tensor shapes, then checks bert_config.json (if any) agrees with them. */
    private static Map<String, Integer> config(TensorBundleReader reader, Map<String, HostTensor> t, Path json) {
        long[] word = require(reader, t, "bert.embeddings.word_embeddings.weight", 2); // [vocab, hidden]
        long[] pos = require(reader, t, "bert.embeddings.position_embeddings.weight", 2); // [max_pos, hidden]
        long[] type = require(reader, t, "bert.embeddings.token_type_embeddings.weight", 2); // [types, hidden]
        long[] inter = require(reader, t, "bert.encoder.layer.0.intermediate.dense.weight", 2); // HF [inter, hidden]
        int layers = 0;
        while (t.containsKey("bert.encoder.layer." + layers + ".attention.self.query.weight")) {
            layers++;
        }
        for (String name : t.keySet()) {
            Matcher m = HF_LAYER.matcher(name);
            if (m.lookingAt() && Integer.parseInt(m.group(1)) >= layers) { // a gap, e.g. layer_0 lost
                throw new InfuseException(reader.prefix() + ".index: has " + name + " but no query weight for layer "
                        + layers + "; layers must be numbered 0..N-1 without gaps");
            }
        }
        Map<String, Integer> c = new LinkedHashMap<>();
        c.put("vocab_size", (int) word[0]);
        c.put("hidden_size", (int) word[1]);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", null);
        c.put("intermediate_size", (int) inter[0]);
        c.put("max_position_embeddings", (int) pos[0]);
        c.put("type_vocab_size", (int) type[0]);
        JsonObject given = json == null ? new JsonObject() : readJson(json);
        for (String key : CONFIG_KEYS) {
            JsonElement v = given.get(key);
            if (v == null || v.isJsonNull()) {
                continue;
            }
            int value;
            try {
                value = v.getAsInt();
            } catch (RuntimeException e) {
                throw new InfuseException(json + ": " + key + " is " + v + ", expected an integer");
            }
            Integer inferred = c.get(key);
            if (inferred != null && inferred != value) {
                throw new InfuseException(json + ": " + key + " is " + value + " but the checkpoint "
                        + reader.prefix().getFileName() + " has " + inferred);
            }
            c.put(key, value);
        }
        int hidden = c.get("hidden_size");
        Integer heads = c.get("num_attention_heads");
        if (heads == null) {
            if (hidden % 64 != 0) {
                throw new InfuseException("cannot infer num_attention_heads for hidden_size " + hidden
                        + " (not a multiple of 64); put bert_config.json beside " + reader.prefix());
            }
            heads = hidden / 64; // every Google BERT release uses 64-wide heads
            c.put("num_attention_heads", heads);
        }
        if (heads <= 0 || hidden % heads != 0) {
            throw new InfuseException(json + ": num_attention_heads " + heads + " does not divide hidden_size " + hidden);
        }
        return c;
    }

    private static long[] require(TensorBundleReader reader, Map<String, HostTensor> t, String hf, int rank) {
        HostTensor x = t.get(hf);
        if (x == null || x.shape().length != rank) {
            throw new InfuseException(reader.prefix() + ".index is not a BERT checkpoint: "
                    + (x == null ? "no tensor maps to " + hf : hf + " has shape " + x.shapeString()));
        }
        return x.shape();
    }

    private static JsonObject readJson(Path json) {
        try {
            return JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new InfuseException("cannot read " + json + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new InfuseException(json + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String stripModule(String tfName) {
        return tfName.startsWith("module/") ? tfName.substring("module/".length()) : tfName;
    }

    private static String hfLeaf(String tfLeaf) {
        return tfLeaf.equals("kernel") || tfLeaf.equals("gamma") ? "weight" : "bias";
    }

    private static Map<String, String> fixedNames() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String emb : new String[] {"word_embeddings", "position_embeddings", "token_type_embeddings"}) {
            m.put("bert/embeddings/" + emb, "bert.embeddings." + emb + ".weight");
        }
        m.put("bert/embeddings/LayerNorm/gamma", "bert.embeddings.LayerNorm.weight");
        m.put("bert/embeddings/LayerNorm/beta", "bert.embeddings.LayerNorm.bias");
        for (String[] dense : new String[][] {{"bert/pooler/dense", "bert.pooler.dense"},
                {"cls/predictions/transform/dense", "cls.predictions.transform.dense"}}) {
            m.put(dense[0] + "/kernel", dense[1] + ".weight");
            m.put(dense[0] + "/bias", dense[1] + ".bias");
        }
        m.put("cls/predictions/transform/LayerNorm/gamma", "cls.predictions.transform.LayerNorm.weight");
        m.put("cls/predictions/transform/LayerNorm/beta", "cls.predictions.transform.LayerNorm.bias");
        m.put("cls/predictions/output_bias", "cls.predictions.bias");
        m.put("cls/seq_relationship/output_weights", "cls.seq_relationship.weight"); // already [2, H]
        m.put("cls/seq_relationship/output_bias", "cls.seq_relationship.bias");
        return Collections.unmodifiableMap(m);
    }

    /** Compares dotted names segment by segment, numbers numerically, so layer.10 sorts after layer.9. */
    static int compareNatural(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean nx = x[i].chars().allMatch(Character::isDigit) && !x[i].isEmpty();
            boolean ny = y[i].chars().allMatch(Character::isDigit) && !y[i].isEmpty();
            int c = nx && ny ? Comparator.<String>comparingInt(String::length).thenComparing(s -> s).compare(x[i], y[i])
                    : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
