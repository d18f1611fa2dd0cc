package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDManager;
import dev.infuse.inject.Knowledge;
import dev.infuse.model.LayerHook;
import java.util.List;

/**
 * What every adapter is as a plug-in: its own encoder module, trained while the encoder stays frozen, its
 * parameters in one engine manager that closing frees.
 */
abstract class AdapterModule implements LayerHook, Knowledge {
    protected final NDManager manager;

    AdapterModule(NDManager manager) {
        this.manager = manager;
    }

    @Override
    public final List<LayerHook> modules() {
        return List.of(this);
    }

    @Override
    public final boolean freezesEncoder() {
        return true; // an adapter's point: the pretrained weights stay as they are
    }

    @Override
    public void close() {
        manager.close();
    }
}
