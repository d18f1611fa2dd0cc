package dev.infuse.inject;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.model.BertInput;
import dev.infuse.model.BertModel;
import dev.infuse.model.BertOutput;
import dev.infuse.model.LayerHook;
import dev.infuse.model.OutputModule;
import dev.infuse.text.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The knowledge plug-ins of one model, composed in a declared order: the plug-in that tokenizes the text
 * itself first (PELT's slots), then the ones that only add modules, then the one that rearranges the tokens
 * (K-BERT's tree), so PELT's slots sit inside K-BERT's sentence and an adapter runs on top of both. Two
 * plug-ins that want the same place cannot compose, and saying so names both.
 */
public final class KnowledgeStack implements AutoCloseable {
    public static final KnowledgeStack NONE = new KnowledgeStack(List.of());

    private final List<Knowledge> plugins;

    public KnowledgeStack(List<Knowledge> plugins) {
        List<Knowledge> sorted = new ArrayList<>(plugins);
        sorted.sort(Comparator.comparingInt(k -> order(k.rowRole())));
        for (Knowledge.RowRole role : List.of(Knowledge.RowRole.RETOKENIZES, Knowledge.RowRole.REARRANGES)) {
            List<Knowledge> same = sorted.stream().filter(k -> k.rowRole() == role).toList();
            if (same.size() > 1) {
                throw new InfuseException(same.get(0).name() + " and " + same.get(1).name() + " cannot be combined: both "
                        + (role == Knowledge.RowRole.RETOKENIZES ? "tokenize the text themselves" : "rearrange the tokens of a row"));
            }
        }
        List<String> names = sorted.stream().map(Knowledge::name).toList();
        if (names.size() != names.stream().distinct().count()) {
            throw new InfuseException("knowledge method given twice: " + String.join(", ", names));
        }
        this.plugins = List.copyOf(sorted);
    }

    private static int order(Knowledge.RowRole r) {
        return switch (r) {
            case RETOKENIZES -> 0;
            case NONE -> 1;
            case REARRANGES -> 2;
        };
    }

    public List<Knowledge> plugins() {
        return plugins;
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /** Text to a row through every plug-in, starting from the plain tokenization. */
    public TextRow encode(Tokenizer tok, String text) {
        return encode(tok, text, Map.of());
    }

    /** The same, with hints for the plug-ins in the first row's extras (a probe's {@link SubjectHint}). */
    public TextRow encode(Tokenizer tok, String text, Map<String, Object> hints) {
        TextRow row = new TextRow(tok.encode(text), Map.of(), null, null, hints);
        for (Knowledge k : plugins) {
            row = k.encode(text, row);
        }
        return row;
    }

    /** The plug-ins' modules added to {@code model}'s encoder until the returned handle is closed. */
    public Attached attach(BertModel model) {
        List<LayerHook> added = new ArrayList<>();
        for (Knowledge k : plugins) {
            for (LayerHook h : k.modules()) {
                model.addHook(h);
                added.add(h);
            }
        }
        return () -> added.forEach(model::removeHook);
    }

    /** Every plug-in's modules after the encoder, in stack order: the head reads the last one's states. */
    public List<OutputModule> outputModules() {
        List<OutputModule> out = new ArrayList<>();
        plugins.forEach(k -> out.addAll(k.outputModules()));
        return out;
    }

    /** The width of the states the task head reads from an encoder {@code hidden} wide: {@code hidden} itself without output modules. */
    public int headWidth(int hidden) {
        int w = hidden;
        for (OutputModule m : outputModules()) {
            w = m.width(w);
        }
        return w;
    }

    /** Whether an output module reads hidden states below the last, so the encoder must return them all. */
    public boolean readsAllHiddenStates() {
        return outputModules().stream().anyMatch(OutputModule::readsAllHiddenStates);
    }

    /**
     * The encoder's output as the task head reads it: {@code out} itself when no plug-in has an output module (the
     * plain path, no op added), otherwise its last state replaced by the output modules' chain (B, T, headWidth(H)),
     * the encoder's hidden states kept as they were.
     */
    public BertOutput headStates(BertInput in, BertOutput out, boolean training) {
        List<OutputModule> modules = outputModules();
        if (modules.isEmpty()) {
            return out;
        }
        NDArray x = out.lastHidden();
        for (OutputModule m : modules) {
            x = m.forward(x, out, in, training);
        }
        return new BertOutput(x, out.hiddenStates());
    }

    /** Modules attached to an encoder; closing detaches them (the plug-ins keep their parameters). */
    public interface Attached extends AutoCloseable {
        @Override
        void close();
    }

    /** Every plug-in's identity, in stack order. */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        plugins.forEach(k -> m.putAll(k.identity()));
        return m;
    }

    public List<String> report(String what) {
        List<String> out = new ArrayList<>();
        plugins.forEach(k -> out.addAll(k.report(what)));
        return out;
    }

    /** "pelt+kbert", or "none". */
    public String describe() {
        return plugins.isEmpty() ? "none" : String.join("+", plugins.stream().map(Knowledge::name).toList());
    }

    @Override
    public void close() {
        plugins.forEach(Knowledge::close);
    }
}
