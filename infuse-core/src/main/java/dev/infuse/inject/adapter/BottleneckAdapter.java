package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.infuse.engine.Engines;
import dev.infuse.inject.SaveContext;
import dev.infuse.model.BertConfig;
import dev.infuse.model.ParameterSpec;
import dev.infuse.model.io.HostTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * AdapterHub's sequential bottleneck adapters in every layer, as a layer hook and a knowledge plug-in.
 *
 * <ul>
 *   <li>Houlsby ({@code DoubleSeqBnConfig}: {@code mh_adapter} and {@code output_adapter}, swish): after attention and
 *       after the feed-forward block, {@code h + W_up·act(W_down·h)} replaces the sub-layer output h before the
 *       block's own {@code LN(· + x)}.
 *   <li>Pfeiffer ({@code SeqBnConfig}, {@code seq_bn}: {@code output_adapter} only, {@code original_ln_before}, relu):
 *       the feed-forward block becomes {@code LN(W_up·relu(W_down·LN(h + x)) + h + x)} with the block's own LayerNorm,
 *       summed in AdapterHub's order, {@code (up + h) + x}.
 * </ul>
 */
public final class BottleneckAdapter extends AdapterModule {
    public enum Layout {
        HOULSBY("houlsby", Bottleneck.NonLinearity.SWISH), PFEIFFER("pfeiffer", Bottleneck.NonLinearity.RELU);

        final String label;
        final Bottleneck.NonLinearity defaultAct;

        Layout(String label, Bottleneck.NonLinearity act) {
            this.label = label;
            this.defaultAct = act;
        }

        public String label() {
            return label;
        }
    }

    /** The adapter's name inside AdapterHub's tensor names ({@code adapters.<name>.}) and its config. */
    static final String NAME = "infuse";

    private final Layout layout;
    private final String adapterName;
    private final int reduction;
    private final int units;
    private final Bottleneck.NonLinearity act;
    private final BertConfig config;
    private final Map<String, Bottleneck> byPlace = new HashMap<>(); // "<point>:<layer>"
    private final Map<String, NDArray> parameters;

    private BottleneckAdapter(Layout layout, String adapterName, int reduction, Bottleneck.NonLinearity act, BertConfig config,
            NDManager manager, List<Bottleneck> modules) {
        super(manager);
        this.layout = layout;
        this.adapterName = adapterName;
        this.reduction = reduction;
        this.units = units(config, reduction);
        this.act = act;
        this.config = config;
        for (Bottleneck b : modules) {
            byPlace.put(b.at, b);
        }
        this.parameters = java.util.Collections.unmodifiableMap(Bottleneck.parameters(modules));
    }

    /** AdapterHub's bottleneck width: hidden // reduction_factor, at least 1. */
    static int units(BertConfig c, int reduction) {
        return Math.max(1, c.hiddenSize() / reduction);
    }

    /** Fresh modules from {@code seed}, drawn in layer order. */
    static BottleneckAdapter create(Layout layout, int reduction, BertConfig c, long seed) {
        NDManager m = Engines.newManager();
        Random rng = new Random(seed);
        List<Bottleneck> modules = new ArrayList<>();
        for (String at : places(layout, c, NAME)) {
            modules.add(Bottleneck.init(m, at, c.hiddenSize(), units(c, reduction), rng));
        }
        return new BottleneckAdapter(layout, NAME, reduction, layout.defaultAct, c, m, modules);
    }

    /** The modules from AdapterHub-named tensors; see {@link AdapterHubFiles}. */
    static BottleneckAdapter of(Layout layout, String adapterName, int reduction, Bottleneck.NonLinearity act, BertConfig c,
            Map<String, HostTensor> tensors, String where) {
        NDManager m = Engines.newManager();
        try {
            List<Bottleneck> modules = new ArrayList<>();
            for (String at : places(layout, c, adapterName)) {
                modules.add(Bottleneck.of(m, at, c.hiddenSize(), units(c, reduction), tensors, where));
            }
            return new BottleneckAdapter(layout, adapterName, reduction, act, c, m, modules);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** AdapterHub's module paths: {@code bert.encoder.layer.i.output.adapters.<name>}, and Houlsby's attention side. */
    static List<String> places(Layout layout, BertConfig c, String name) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            if (layout == Layout.HOULSBY) {
                out.add(at(c, Point.AFTER_ATTENTION, l, name));
            }
            out.add(at(c, Point.AFTER_FEED_FORWARD, l, name));
        }
        return out;
    }

    private static String at(BertConfig c, Point point, int layer, String name) {
        String side = point == Point.AFTER_ATTENTION ? "attention.output" : "output";
        return ParameterSpec.prefix(c) + "encoder.layer." + layer + "." + side + ".adapters." + name;
    }

    public Layout layout() {
        return layout;
    }

    public int reduction() {
        return reduction;
    }

    /** The bottleneck at AdapterHub's module path {@code at}, or null. */
    Bottleneck module(String at) {
        return byPlace.get(at);
    }

    String adapterName() {
        return adapterName;
    }

    int unitsPerModule() {
        return units;
    }

    Bottleneck.NonLinearity nonLinearity() {
        return act;
    }

    BertConfig config() {
        return config;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    @Override
    public NDArray output(Block b) {
        if (layout != Layout.HOULSBY) {
            return b.output();
        }
        Bottleneck m = byPlace.get(at(config, b.point(), b.layer(), adapterName));
        try (NDArray up = m.apply(b.output(), act)) { // (B, T, H)
            return b.output().add(up);
        }
    }

    @Override
    public boolean ownsBlock(Point point, int layer) {
        return layout == Layout.PFEIFFER && point == Point.AFTER_FEED_FORWARD;
    }

    @Override
    public NDArray block(Block b) {
        Bottleneck m = byPlace.get(at(config, b.point(), b.layer(), adapterName));
        NDArray h = b.output();
        try (NDArray sum = h.add(b.residual()); // (B, T, H)
                NDArray normed = b.norm().apply(sum);
                NDArray up = m.apply(normed, act);
                NDArray withH = up.add(h);
                NDArray withX = withH.add(b.residual())) {
            return b.norm().apply(withX);
        }
    }

    /** The adapter a model directory's task.json names as {@code layout}, read from its AdapterHub files. */
    public static BottleneckAdapter load(dev.infuse.inject.LoadContext context, Layout layout) {
        AdapterFiles.checkEntry(context);
        BottleneckAdapter a = AdapterHubFiles.read(context.dir(), context.lm().model().config());
        if (a.layout != layout) {
            a.close();
            throw new dev.infuse.InfuseException(context.dir().resolve(AdapterFiles.CONFIG) + " holds a " + a.layout.label
                    + " adapter, task.json says " + layout.label);
        }
        return a;
    }

    @Override
    public String name() {
        return layout.label;
    }

    @Override
    public Map<String, Object> identity() {
        return BottleneckSpec.identity(layout, reduction);
    }



    @Override
    public JsonObject save(Path dir, SaveContext context) {
        return AdapterHubFiles.write(this, dir, context);
    }

}
