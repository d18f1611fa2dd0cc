package dev.infuse.model;

import java.util.List;
import java.util.Map;

/**
 * What a batch knows besides its tokens, for the modules that need it ({@link LayerHook}): one map per row, as
 * the rows' knowledge plug-ins filled them (mention spans, entity ids, anything a plug-in put into its rows
 * with {@link InputRow#withExtra}). Keys are the plug-ins' own; a module reads only the keys it knows.
 */
public record ForwardContext(List<Map<String, Object>> rows) {
    public static final ForwardContext NONE = new ForwardContext(List.of());

    public ForwardContext {
        rows = List.copyOf(rows);
    }

    /** Row {@code i}'s value under {@code key}, or null when the row has none (or the batch no context). */
    public Object get(int i, String key) {
        return i < rows.size() ? rows.get(i).get(key) : null;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
