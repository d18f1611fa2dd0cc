package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.model.Batches;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertOutput;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuned model: encoder with tokenizer, task head, label map and how it was trained. Saved as a
 * Hugging Face directory (the encoder loads in transformers) plus {@code head.safetensors} and
 * {@code task.json} ({@code {"task","labels","transfer","max_seq_length"}}).
 */
public final class TaskModel implements AutoCloseable {
    public static final String HEAD_FILE = "head.safetensors";
    public static final String TASK_FILE = "task.json";
    public static final String TABLE_FILE = "entity_table.pelt";

    private final MaskedLm lm;
    private final TaskHead head;
    private final String task;
    private final Labels labels;
    private final Transfer transfer;
    private final int maxSeqLength;
    private final EntityTable table;
    private final float entityNorm;
    private final RowEncoder encoder;

    /** @param table a PELT entity table whose slots go into every input, or null */
    public TaskModel(MaskedLm lm, TaskHead head, String task, Labels labels, Transfer transfer, int maxSeqLength, EntityTable table,
            float entityNorm) {
        if (head.classes() != labels.size()) {
            throw new InfuseException("the head has " + head.classes() + " outputs but the label map " + labels.size() + " labels");
        }
        this.lm = lm;
        this.head = head;
        this.task = task;
        this.labels = labels;
        this.transfer = transfer;
        this.maxSeqLength = maxSeqLength;
        this.table = table;
        this.entityNorm = entityNorm;
        this.encoder = table == null ? RowEncoder.plain(lm.tokenizer())
                : RowEncoder.pelt(lm.tokenizer(), new PeltPlugin(table, lm.tokenizer(), entityNorm));
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

    public void save(Path dir, Provenance provenance) {
        lm.save(dir, provenance);
        Safetensors.write(dir.resolve(HEAD_FILE), head.export());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task", task);
        o.put("labels", labels.names());
        o.put("transfer", transfer.flag());
        o.put("max_seq_length", maxSeqLength);
        if (table != null) {
            // A copy, so the run directory is complete: eval needs the very vectors training saw.
            table.write(dir.resolve(TABLE_FILE));
            o.put("entity_table", TABLE_FILE);
            o.put("entity_norm", entityNorm);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        AtomicFiles.writeString(dir.resolve(TASK_FILE), gson.toJson(o) + "\n");
    }

    /** Loads what {@link #save} wrote; a plain model directory without a head is a clear error. */
    public static TaskModel load(Path dir) {
        Path meta = dir.resolve(TASK_FILE);
        if (!Files.exists(meta) || !Files.exists(dir.resolve(HEAD_FILE))) {
            throw new InfuseException(dir + " is not a fine-tuned model (no " + TASK_FILE + " and " + HEAD_FILE + "); run infuse finetune first");
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot read " + meta + ": " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        o.getAsJsonArray("labels").forEach(e -> names.add(e.getAsString()));
        String task = o.get("task").getAsString();
        Transfer transfer = Transfer.parse(o.get("transfer").getAsString());
        MaskedLm lm = MaskedLm.load(dir.toString());
        TaskHead head = TaskHead.load(Safetensors.read(dir.resolve(HEAD_FILE)), transfer, Tasks.groups(task));
        // The table was checked against the base model when training started; the fine-tuned encoder has
        // another fingerprint by design, so it is not checked again here.
        EntityTable table = o.has("entity_table") ? EntityTable.read(dir.resolve(o.get("entity_table").getAsString())) : null;
        float norm = o.has("entity_norm") ? o.get("entity_norm").getAsFloat() : 0f;
        return new TaskModel(lm, head, task, new Labels(names), transfer, o.get("max_seq_length").getAsInt(), table, norm);
    }

    @Override
    public void close() {
        head.close();
        lm.close();
    }
}
