package dev.infuse.inject;

import com.google.gson.JsonObject;
import dev.infuse.model.LayerHook;
import dev.infuse.model.OutputModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A knowledge method at use time, once opened on a model ({@link KnowledgeSpec#open}) or loaded back from a
 * model directory ({@link KnowledgeType#load}). It says what the method contributes when the model runs:
 * how text becomes rows, the encoder modules it adds, its identity, and its files. Tasks, fine-tuning, eval,
 * predict, probe and the comparison take a {@link KnowledgeStack} of these and never name a method.
 *
 * <p>A new method is a package under {@code inject/} with a {@link KnowledgeSpec}, a {@link Knowledge} and a
 * {@link KnowledgeType}, and one line in {@link KnowledgeTypes}.
 */
public interface Knowledge extends AutoCloseable {
    /** How a plug-in acts on the way from text to row; a stack applies them in this order. */
    enum RowRole {
        /** Leaves rows alone (an adapter: it only adds modules). */
        NONE,
        /** Tokenizes the text itself, with inserted tokens (PELT's slots); runs first, at most one per stack. */
        RETOKENIZES,
        /** Rearranges the tokens it is given (K-BERT's sentence tree); runs last, at most one per stack. */
        REARRANGES
    }

    /** Its name in {@link KnowledgeTypes}, in task.json and in reports. */
    String name();

    /** The settings and input hashes that change the numbers, keys prefixed by the method's name. */
    Map<String, Object> identity();

    default RowRole rowRole() {
        return RowRole.NONE;
    }

    /** {@code row}, what the plug-ins before this one made of {@code text}, turned into this plug-in's row. */
    default TextRow encode(String text, TextRow row) {
        return row;
    }

    /** The encoder modules it adds; the stack's owner adds them to the model and trains or freezes them. */
    default List<LayerHook> modules() {
        return List.of();
    }

    /**
     * Modules after the encoder that map its output to what the task head reads, possibly wider (K-Adapter's
     * {@code [last ; adapter]}); the stack chains them and tells the task layer the width.
     */
    default List<OutputModule> outputModules() {
        return List.of();
    }

    /**
     * Whether the encoder stays frozen while this plug-in's modules train (an adapter's point); a command may
     * still ask to train the encoder too.
     */
    default boolean freezesEncoder() {
        return false;
    }

    /** What it did to the texts encoded since the last call ({@code what} names them), as log lines. */
    default List<String> report(String what) {
        return List.of();
    }

    /**
     * Writes the plug-in's own files into the model directory {@code dir} and returns what {@code task.json}
     * records of it (file names relative to {@code dir}, their SHA-256, settings), read back by {@link KnowledgeType#load}.
     */
    JsonObject save(Path dir, SaveContext context);

    /** Frees what it holds (module parameters); idempotent. */
    @Override
    default void close() {}
}
