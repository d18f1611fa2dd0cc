package dev.infuse.inject.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertConfig;
import dev.infuse.model.ForwardContext;
import dev.infuse.model.LayerHook;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pfeiffer's block and Houlsby's output are AdapterHub's formulas, checked against the same sums done by hand in double. */
class BottleneckTest {
    static final BertConfig C = AdapterFixtures.TINY;
    static final int H = C.hiddenSize();
    static final int N = 3; // tokens

    @BeforeAll
    static void oneThread() {
        dev.infuse.train.TinyRun.oneThread();
    }

    @Test
    void defaultsAreAdapterHubs() {
        try (BottleneckAdapter a = BottleneckAdapter.create(BottleneckAdapter.Layout.HOULSBY, 16, BertConfig.tiny(40), 1)) {
            assertEquals(2, a.unitsPerModule(), "32 / 16");
            assertEquals(Bottleneck.NonLinearity.SWISH, a.nonLinearity(), "DoubleSeqBnConfig's non_linearity");
            assertEquals(4 * 2 * C.numHiddenLayers(), a.parameters().size(), "two modules a layer, four tensors each");
            assertTrue(a.parameters().containsKey("bert.encoder.layer.1.attention.output.adapters.infuse.adapter_up.weight"));
            double sq = 0;
            int n = 0;
            for (var e : a.parameters().entrySet()) {
                float[] v = e.getValue().toFloatArray();
                for (float x : v) {
                    if (e.getKey().endsWith("bias")) {
                        assertEquals(0f, x, e.getKey());
                    } else {
                        sq += x * x;
                        n++;
                    }
                }
            }
            double std = Math.sqrt(sq / n);
            assertTrue(std > 0.015 && std < 0.025, "weights N(0, 0.02), measured std " + std);
        }
        BertConfig base = new BertConfig("bert", 40, 768, 1, 12, 3072, "gelu", 0.1f, 0.1f, 64, 2, 1e-12f, 0, 0.02f);
        assertEquals(48, BottleneckAdapter.units(base, BottleneckSpec.DEFAULT_REDUCTION), "48 units for 768 at reduction 16");
    }

    @Test
    void pfeiffersBlockIsLnOfUpReluDownLnOfHPlusXPlusHPlusX() {
        try (NDManager m = Engines.newManager();
                BottleneckAdapter a = BottleneckAdapter.create(BottleneckAdapter.Layout.PFEIFFER, 8, C, 2)) {
            float[] hv = AdapterFixtures.random(N * H, 11, 1);
            float[] xv = AdapterFixtures.random(N * H, 12, 1);
            float[] g = AdapterFixtures.random(H, 13, 0.3);
            for (int i = 0; i < H; i++) {
                g[i] += 1;
            }
            float[] beta = AdapterFixtures.random(H, 14, 0.3);
            Bottleneck b = bottleneck(a, "bert.encoder.layer.1.output.adapters.infuse");
            NDArray gamma = Tensors.copyOf(m, g, new Shape(H));
            NDArray bb = Tensors.copyOf(m, beta, new Shape(H));
            UnaryOperator<NDArray> ln = y -> LayerNorm.layerNorm(y, new Shape(H), gamma, bb, C.layerNormEps()).singletonOrThrow();
            NDArray h = Tensors.copyOf(m, hv, new Shape(1, N, H));
            NDArray x = Tensors.copyOf(m, xv, new Shape(1, N, H));
            assertTrue(a.ownsBlock(LayerHook.Point.AFTER_FEED_FORWARD, 1));
            assertTrue(!a.ownsBlock(LayerHook.Point.AFTER_ATTENTION, 1), "seq_bn has no attention-side adapter");
            float[] got = a.block(new LayerHook.Block(LayerHook.Point.AFTER_FEED_FORWARD, 1, h, x, ln, ForwardContext.NONE, false)).toFloatArray();

            float[] dw = b.downWeight.toFloatArray();
            float[] db = b.downBias.toFloatArray();
            float[] uw = b.upWeight.toFloatArray();
            float[] ub = b.upBias.toFloatArray();
            int units = a.unitsPerModule();
            double worst = 0;
            for (int t = 0; t < N; t++) {
                double[] sum = new double[H];
                for (int i = 0; i < H; i++) {
                    sum[i] = hv[t * H + i] + xv[t * H + i];
                }
                double[] normed = layerNorm(sum, g, beta, C.layerNormEps());
                double[] mid = new double[units];
                for (int u = 0; u < units; u++) {
                    double s = db[u];
                    for (int i = 0; i < H; i++) {
                        s += dw[u * H + i] * normed[i];
                    }
                    mid[u] = Math.max(0, s);
                }
                double[] out = new double[H];
                for (int i = 0; i < H; i++) {
                    double s = ub[i];
                    for (int u = 0; u < units; u++) {
                        s += uw[i * units + u] * mid[u];
                    }
                    out[i] = s + hv[t * H + i] + xv[t * H + i];
                }
                double[] want = layerNorm(out, g, beta, C.layerNormEps());
                for (int i = 0; i < H; i++) {
                    worst = Math.max(worst, Math.abs(want[i] - got[t * H + i]));
                }
            }
            assertTrue(worst < 1e-5, "Pfeiffer block against the formula by hand: max difference " + worst);
        }
    }

    @Test
    void houlsbysOutputIsHPlusUpSwishDownH() {
        try (NDManager m = Engines.newManager();
                BottleneckAdapter a = BottleneckAdapter.create(BottleneckAdapter.Layout.HOULSBY, 8, C, 4)) {
            float[] hv = AdapterFixtures.random(N * H, 21, 1);
            NDArray h = Tensors.copyOf(m, hv, new Shape(1, N, H));
            assertTrue(!a.ownsBlock(LayerHook.Point.AFTER_ATTENTION, 0) && !a.ownsBlock(LayerHook.Point.AFTER_FEED_FORWARD, 0));
            float[] got = a.output(new LayerHook.Block(LayerHook.Point.AFTER_ATTENTION, 0, h, h, y -> y, ForwardContext.NONE, false)).toFloatArray();
            Bottleneck b = bottleneck(a, "bert.encoder.layer.0.attention.output.adapters.infuse");
            float[] dw = b.downWeight.toFloatArray();
            float[] uw = b.upWeight.toFloatArray();
            int units = a.unitsPerModule();
            double worst = 0;
            for (int t = 0; t < N; t++) {
                double[] mid = new double[units];
                for (int u = 0; u < units; u++) {
                    double s = 0; // biases start at zero
                    for (int i = 0; i < H; i++) {
                        s += dw[u * H + i] * hv[t * H + i];
                    }
                    mid[u] = s / (1 + Math.exp(-s));
                }
                for (int i = 0; i < H; i++) {
                    double s = 0;
                    for (int u = 0; u < units; u++) {
                        s += uw[i * units + u] * mid[u];
                    }
                    worst = Math.max(worst, Math.abs(hv[t * H + i] + s - got[t * H + i]));
                }
            }
            assertTrue(worst < 1e-5, "Houlsby output against the formula by hand: max difference " + worst);
        }
    }

    private static Bottleneck bottleneck(BottleneckAdapter a, String at) {
        return a.module(at);
    }

    private static double[] layerNorm(double[] v, float[] g, float[] b, double eps) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        var /= v.length;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean) / Math.sqrt(var + eps) * g[i] + b[i];
        }
        return out;
    }
}
