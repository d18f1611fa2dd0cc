package dev.infuse.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.io.Provenance;
import dev.infuse.model.Batches;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertOutput;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A fine-tuned model: encoder with tokenizer, task head, label map, how it was trained, and the knowledge
 * plug-ins that shape its inputs and add modules to its encoder. Saved and loaded by {@link TaskModelFiles}
 * as a Hugging Face task model (see {@link HfTaskLayout}) plus {@code task.json}.
 */
public final class TaskModel implements AutoCloseable {
    /** Where earlier versions kept the head, and where a run that leaves the encoder untouched keeps it. */
    public static final String HEAD_FILE = TaskModelFiles.HEAD_FILE;
    public static final String CARD_FILE = TaskModelFiles.CARD_FILE;
    public static final String TASK_FILE = TaskModelFiles.TASK_FILE;

    private final MaskedLm lm;
    private final TaskHead head;
    private final String task;
    private final Labels labels;
    private final Transfer transfer;
    private final int maxSeqLength;
    private final KnowledgeStack knowledge;
    private final KnowledgeStack.Attached attached;
    private final RowEncoder encoder;

    /**
     * @param knowledge the plug-ins, already opened on {@code lm}; their modules are added to its encoder here
     *     and removed again by {@link #close}, which also closes them
     */
    public TaskModel(MaskedLm lm, TaskHead head, String task, Labels labels, Transfer transfer, int maxSeqLength, KnowledgeStack knowledge) {
        if (head.classes() != labels.size()) {
            throw new InfuseException("the head has " + head.classes() + " outputs but the label map " + labels.size() + " labels");
        }
        int width = knowledge.headWidth(lm.model().config().hiddenSize());
        if (head.width() != width) {
            throw new InfuseException("the head reads states " + head.width() + " wide, but the encoder with " + knowledge.describe()
                    + " gives " + width);
        }
        if (!knowledge.outputModules().isEmpty() && (transfer == Transfer.EMBEDDINGS || transfer == Transfer.MIX)) {
            throw new InfuseException(knowledge.describe() + " feeds the head through a module after the encoder, which transfer "
                    + transfer.flag() + " does not read; use --transfer top or full");
        }
        this.lm = lm;
        this.head = head;
        this.task = task;
        this.labels = labels;
        this.transfer = transfer;
        this.maxSeqLength = maxSeqLength;
        this.knowledge = knowledge;
        this.attached = knowledge.attach(lm.model());
        this.encoder = RowEncoder.of(lm.tokenizer(), knowledge);
    }

    /** A model with no knowledge plug-in. */
    public TaskModel(MaskedLm lm, TaskHead head, String task, Labels labels, Transfer transfer, int maxSeqLength) {
        this(lm, head, task, labels, transfer, maxSeqLength, KnowledgeStack.NONE);
    }

    public KnowledgeStack knowledge() {
        return knowledge;
    }

    /** The plug-ins' summaries and warnings for the texts encoded since the last call ({@code what} names them). */
    public List<String> knowledgeReport(String what) {
        return knowledge.report(what);
    }

    /** How this model turns text into rows: the tokenizer, then its plug-ins. */
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

    /** The width of the states the head reads: the encoder's hidden size, or what the plug-ins' output modules make of it. */
    public int headWidth() {
        return knowledge.headWidth(lm.model().config().hiddenSize());
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
        if (transfer == Transfer.EMBEDDINGS || transfer == Transfer.MIX || knowledge.readsAllHiddenStates()) {
            in = new BertInput(in.inputIds(), in.tokenTypeIds(), in.positionIds(), in.paddingMask(), in.visibility(), in.overrides(), true,
                    in.context());
        }
        // A frozen encoder runs without dropout: it is a fixed feature extractor. Modules after it (K-Adapter) train
        // on top of it, with their own dropout while training; without any, headStates returns the encoder's output as is.
        BertOutput out = knowledge.headStates(in, lm.model().forward(s, in, training && !transfer.frozen()), training);
        return head.pooled(s, out, batch, in.length());
    }

    /**
     * Writes the model into {@code dir}; see {@link TaskModelFiles#save}.
     *
     * @param baseModel the model the run started from, as the user named it
     * @param withEncoder false when only plug-in modules and the head trained: the encoder is then the base
     *     model's, and the directory names it instead of holding a copy
     */
    public void save(Path dir, Provenance provenance, String baseModel, boolean withEncoder) {
        TaskModelFiles.save(this, dir, provenance, baseModel, withEncoder);
    }

    /** Writes the model with its encoder. */
    public void save(Path dir, Provenance provenance) {
        save(dir, provenance, lm.source(), true);
    }

    /** Loads what {@link #save} wrote; a plain model directory without a head is a clear error. */
    public static TaskModel load(Path dir) {
        return TaskModelFiles.load(dir, Map.of());
    }

    /**
     * Loads what {@link #save} wrote, with each named plug-in's saved entry (null when the model had none)
     * passed through its edit first: {@code infuse eval --kg ...} changes a graph there. An edit that returns
     * null removes the plug-in.
     */
    public static TaskModel load(Path dir, Map<String, UnaryOperator<JsonObject>> edits) {
        return TaskModelFiles.load(dir, edits);
    }

    /** The task a saved model does, read from its {@code task.json} without loading the model. */
    public static String taskOf(Path dir) {
        return TaskModelFiles.taskOf(dir);
    }

    @Override
    public void close() {
        attached.close();
        knowledge.close();
        head.close();
        lm.close();
    }
}
