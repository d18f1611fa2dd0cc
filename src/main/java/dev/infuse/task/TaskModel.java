package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.inject.kbert.KbertEncoder;
import dev.infuse.inject.kbert.KbertOptions;
import dev.infuse.inject.kbert.KnowledgeGraph;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.model.Batches;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.Checkpoints;
import dev.infuse.model.BertOutput;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import dev.infuse.text.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A fine-tuned model: encoder with tokenizer, task head, label map and how it was trained. Saved as a
 * Hugging Face task model (see {@link HfTaskLayout}: encoder and head in one {@code model.safetensors}, the
 * label maps in {@code config.json}) plus {@code task.json} ({@code {"task","labels","transfer","max_seq_length"}}, plus the PELT table's or the K-BERT
 * graph's file and settings when the run had one).
 */
public final class TaskModel implements AutoCloseable {
    /** Where earlier versions kept the head; read when present, removed when a model is saved again. */
    public static final String HEAD_FILE = "head.safetensors";
    public static final String CARD_FILE = "README.md";
    public static final String TASK_FILE = "task.json";
    public static final String TABLE_FILE = "entity_table.pelt";
    /** The K-BERT graph a run used, copied as {@code .spo} so eval reads the very branches training saw. */
    public static final String GRAPH_FILE = "knowledge_graph.spo";

    private final MaskedLm lm;
    private final TaskHead head;
    private final String task;
    private final Labels labels;
    private final Transfer transfer;
    private final int maxSeqLength;
    private final EntityTable table;
    private final float entityNorm;
    private final KbertOptions kg;
    private final KbertEncoder kbert;
    private final RowEncoder encoder;

    /** @param table a PELT entity table whose slots go into every input, or null */
    public TaskModel(MaskedLm lm, TaskHead head, String task, Labels labels, Transfer transfer, int maxSeqLength, EntityTable table,
            float entityNorm) {
        this(lm, head, task, labels, transfer, maxSeqLength, table, entityNorm, null);
    }

    /**
     * @param table a PELT entity table whose slots go into every input, or null
     * @param kg a K-BERT graph and how to use it: every input becomes a sentence tree; or null
     */
    public TaskModel(MaskedLm lm, TaskHead head, String task, Labels labels, Transfer transfer, int maxSeqLength, EntityTable table,
            float entityNorm, KbertOptions kg) {
        if (head.classes() != labels.size()) {
            throw new InfuseException("the head has " + head.classes() + " outputs but the label map " + labels.size() + " labels");
        }
        if (table != null && kg != null) {
            throw new InfuseException("--entity-table and --kg cannot be used together yet: a PELT slot inside a sentence tree has no rule");
        }
        this.lm = lm;
        this.head = head;
        this.task = task;
        this.labels = labels;
        this.transfer = transfer;
        this.maxSeqLength = maxSeqLength;
        this.table = table;
        this.entityNorm = entityNorm;
        this.kg = kg;
        this.kbert = kg == null ? null : new KbertEncoder(lm.tokenizer(), KnowledgeGraph.read(kg.graph()), kg, maxSeqLength);
        if (kbert != null) {
            this.encoder = RowEncoder.kbert(kbert);
        } else {
            this.encoder = table == null ? RowEncoder.plain(lm.tokenizer())
                    : RowEncoder.pelt(lm.tokenizer(), new PeltPlugin(table, lm.tokenizer(), entityNorm));
        }
    }

    /** The K-BERT settings, or null without a graph. */
    public KbertOptions kg() {
        return kg;
    }

    /** The K-BERT graph's fingerprint ({@link KnowledgeGraph#fingerprint}), or null without a graph. */
    public String graphFingerprint() {
        return kbert == null ? null : kbert.graph().fingerprint();
    }

    /** K-BERT's summary and warnings for the texts encoded since the last call ({@code what} names them); empty without a graph. */
    public List<String> knowledgeReport(String what) {
        return kbert == null ? List.of() : kbert.report(what);
    }

    /** How this model turns text into rows: with the entity table's slots when it has one. */
    public RowEncoder encoder() {
        return encoder;
    }

    public MaskedLm lm() {
        return lm;
    }

    public TaskHead head() {
        return head;
    }

    public String task() {
        return task;
    }

    public Labels labels() {
        return labels;
    }

    public Transfer transfer() {
        return transfer;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    /** Logits (N, C) for every target of the batch, in order; all intermediates attach to {@code s}. */
    public NDArray logits(NDManager s, List<Encoded> batch, boolean training) {
        return head.classify(s, pooled(s, batch, training));
    }

    /** The head's pooled features (S, N, K*H) for every target of the batch; see {@link TaskHead#pooled}. */
    public NDArray pooled(NDManager s, List<Encoded> batch, boolean training) {
        List<InputRow> rows = batch.stream().map(Encoded::row).toList();
        BertInput in = Batches.padded(rows, lm.tokenizer().padId(), lm.model().config());
        if (transfer == Transfer.EMBEDDINGS || transfer == Transfer.MIX) {
            in = new BertInput(in.inputIds(), in.tokenTypeIds(), in.positionIds(), in.paddingMask(), in.visibility(), in.overrides(), true);
        }
        // A frozen encoder runs without dropout: it is a fixed feature extractor.
        BertOutput out = lm.model().forward(s, in, training && !transfer.frozen());
        return head.pooled(s, out, batch, in.length());
    }

    /**
     * Writes the model as one Hugging Face directory: encoder and head in {@code model.safetensors} as
     * {@link HfTaskLayout} places them, {@code config.json} with the task class and label maps, the tokenizer,
     * {@code task.json}, {@code provenance.json} and a {@code README.md} model card.
     */
    public void save(Path dir, Provenance provenance) {
        HfTaskLayout layout = HfTaskLayout.of(lm.model().config(), task, transfer);
        lm.save(dir, provenance, layout.headTensors(head.export()), layout.configMembers(labels));
        try {
            Files.deleteIfExists(dir.resolve(HEAD_FILE)); // a separate head from an earlier version would shadow this one
        } catch (IOException e) {
            throw new InfuseException("cannot remove " + dir.resolve(HEAD_FILE) + ": " + e.getMessage());
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        if (kbert != null) {
            notes.put("Knowledge graph", "trained on K-BERT sentence trees from `" + GRAPH_FILE + "` (" + kg.branches()
                    + " branches a subject, visible matrix " + (kg.visibleMatrix() ? "on" : "off") + "). transformers sees plain"
                    + " sentences, which this model never saw in training; `infuse predict --model DIR` builds the trees.");
        }
        if (table != null) {
            notes.put("Entity table", "trained with PELT entity slots from `" + TABLE_FILE + "` in every input; plain"
                    + " transformers input lacks them. `infuse predict --model DIR` adds them.");
        }
        AtomicFiles.writeString(dir.resolve(CARD_FILE), ModelCard.of(layout, labels, provenance.toMap(), notes));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task", task);
        o.put("labels", labels.names());
        o.put("transfer", transfer.flag());
        o.put("max_seq_length", maxSeqLength);
        if (table != null) {
            // A copy, so the run directory is complete: eval needs the very vectors training saw.
            table.write(dir.resolve(TABLE_FILE));
            o.put("entity_table", TABLE_FILE);
            o.put("entity_table_sha256", Provenance.sha256(dir.resolve(TABLE_FILE)));
            o.put("entity_norm", entityNorm);
        }
        if (kbert != null) {
            kbert.graph().write(dir.resolve(GRAPH_FILE));
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("file", GRAPH_FILE);
            g.put("source", kg.graph().toString());
            g.put("sha256", kbert.graph().fingerprint());
            g.put("branches", kg.branches());
            g.put("visible_matrix", kg.visibleMatrix());
            g.put("seed", kg.seed());
            o.put("kg", g);
        }
        AtomicFiles.writeString(dir.resolve(TASK_FILE), dev.infuse.io.Jsons.pretty().toJson(o) + "\n");
    }

    /** Loads what {@link #save} wrote; a plain model directory without a head is a clear error. */
    public static TaskModel load(Path dir) {
        return load(dir, UnaryOperator.identity());
    }

    /**
     * Loads what {@link #save} wrote, with the K-BERT settings it recorded (null when it had none) passed through
     * {@code kg} first: {@code infuse eval --kg ...} changes them there.
     */
    public static TaskModel load(Path dir, UnaryOperator<KbertOptions> kg) {
        dev.infuse.io.RunLock.requireFinished(dir, "a finished model");
        JsonObject o = taskFile(dir);
        List<String> names = new ArrayList<>();
        o.getAsJsonArray("labels").forEach(e -> names.add(e.getAsString()));
        String task = o.get("task").getAsString();
        Transfer transfer = Transfer.parse(o.get("transfer").getAsString());
        SavedTaskCheck.labels(dir, names);
        if (o.has("entity_table")) {
            SavedTaskCheck.sha256(dir.resolve(o.get("entity_table").getAsString()), string(o, "entity_table_sha256"), "a PELT entity table");
        }
        if (o.has("kg")) {
            JsonObject g = o.getAsJsonObject("kg");
            SavedTaskCheck.sha256(dir.resolve(g.get("file").getAsString()), string(g, "sha256"), "a K-BERT graph");
        }
        MaskedLm lm;
        Map<String, HostTensor> headTensors;
        if (Files.exists(dir.resolve(HEAD_FILE))) { // written before the head moved into model.safetensors
            lm = MaskedLm.load(dir.toString());
            headTensors = Safetensors.read(dir.resolve(HEAD_FILE));
        } else {
            BertConfig config = BertConfig.read(dir.resolve("config.json"));
            Path weights = Checkpoints.weightsFile(dir);
            Map<String, HostTensor> all = new LinkedHashMap<>(Safetensors.read(weights));
            headTensors = HfTaskLayout.of(config, task, transfer).takeHead(all, weights.toString());
            lm = new MaskedLm(BertModel.load(config, all, weights.toString()), Tokenizers.load(dir), dir.toString());
        }
        TaskHead head;
        try {
            head = TaskHead.load(headTensors, transfer, Tasks.groups(task));
            if (head.classes() != names.size()) {
                head.close();
                SavedTaskCheck.head(dir, head.classes(), names.size());
            }
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
        // The table was checked against the base model when training started; the fine-tuned encoder has
        // another fingerprint by design, so it is not checked again here.
        EntityTable table = o.has("entity_table") ? EntityTable.read(dir.resolve(o.get("entity_table").getAsString())) : null;
        float norm = o.has("entity_norm") ? o.get("entity_norm").getAsFloat() : 0f;
        KbertOptions recorded = null;
        if (o.has("kg")) {
            JsonObject g = o.getAsJsonObject("kg");
            recorded = new KbertOptions(dir.resolve(g.get("file").getAsString()), g.get("branches").getAsInt(), g.get("visible_matrix").getAsBoolean(),
                    g.get("seed").getAsLong());
        }
        try {
            return new TaskModel(lm, head, task, new Labels(names), transfer, o.get("max_seq_length").getAsInt(), table, norm, kg.apply(recorded));
        } catch (RuntimeException e) {
            head.close();
            lm.close();
            throw e;
        }
    }

    /** The task a saved model does, read from its {@code task.json} without loading the model. */
    public static String taskOf(Path dir) {
        return taskFile(dir).get("task").getAsString();
    }

    private static JsonObject taskFile(Path dir) {
        Path meta = dir.resolve(TASK_FILE);
        if (!Files.isRegularFile(meta)) {
            throw new InfuseException(dir + " is not a fine-tuned model (no " + TASK_FILE + "); run infuse finetune first");
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
            for (String key : List.of("task", "labels", "transfer", "max_seq_length")) {
                if (!o.has(key)) {
                    throw new InfuseException("no \"" + key + "\"");
                }
            }
            o.getAsJsonArray("labels").forEach(JsonElement::getAsString);
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + meta + ": " + e.getMessage());
        }
        String task = o.get("task").getAsString();
        if (!Tasks.known(task)) {
            throw new InfuseException(meta + " names task \"" + task + "\", which infuse does not know (expected one of "
                    + String.join(", ", Tasks.NAMES) + ")");
        }
        return o;
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

    @Override
    public void close() {
        head.close();
        lm.close();
    }
}
