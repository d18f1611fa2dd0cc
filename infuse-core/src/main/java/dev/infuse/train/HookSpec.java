package dev.infuse.train;

import dev.infuse.model.BertConfig;
import dev.infuse.model.LayerHook;
import java.util.Map;

/**
 * How a run gets a layer hook (an adapter, a fusion layer): the settings that change the numbers go into
 * the run's identity, so a resume with other settings is refused; {@link #create} builds the hook with
 * fresh parameters, which a resume then overwrites from the checkpoint.
 */
public interface HookSpec {
    /** Setting name to value, prefixed by the method's name so two hooks never collide. */
    Map<String, Object> identity();

    LayerHook create(BertConfig config, long seed);

    /**
     * Writes what {@code hook} (made by {@link #create}) keeps beside the model in {@code dir}, in the format its
     * users' tools read; {@code baseModel} names the model it applies to. Nothing by default.
     */
    default void save(LayerHook hook, java.nio.file.Path dir, String baseModel) {}

    /** The files {@link #save} writes, so a rerun knows them as this run's own. */
    default java.util.List<String> files() {
        return java.util.List.of();
    }
}
