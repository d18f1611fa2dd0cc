package dev.infuse.inject.adapter;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertModel;
import dev.infuse.model.ParameterSpec;
import dev.infuse.model.io.HostTensor;
import java.nio.FloatBuffer;

/**
 * Folds a LoRA into the weights it wraps, {@code W ← W + scale·B·A}, as PEFT's {@code merge_and_unload}: the model
 * then computes what model-with-LoRA computed (up to float rounding) with no hook, and saves as a plain Hugging
 * Face model. The product is summed in double on the host: it runs once, and a [768, 8]·[8, 768] product is
 * a few million multiply-adds per projection.
 */
public final class LoraMerge {
    private LoraMerge() {}

    /** Changes {@code model}'s weights in place; the LoRA must not also be hooked into it afterwards. */
    public static void merge(BertModel model, Lora lora) {
        if (model.hooks().contains(lora)) {
            throw new InfuseException("cannot merge a LoRA that is still hooked into the model: it would apply twice");
        }
        if (model.config().hiddenSize() != lora.config().hiddenSize() || model.config().intermediateSize() != lora.config().intermediateSize()
                || model.config().numHiddenLayers() != lora.config().numHiddenLayers()) {
            throw new InfuseException("the LoRA was read for another model shape (hidden " + lora.config().hiddenSize() + ", "
                    + lora.config().numHiddenLayers() + " layers) than this one (hidden " + model.config().hiddenSize() + ", "
                    + model.config().numHiddenLayers() + " layers)");
        }
        String p = ParameterSpec.prefix(model.config());
        for (Lora.Pair pair : lora.pairs()) {
            NDArray w = model.parameter(p + "encoder.layer." + pair.layer() + "." + pair.module() + ".weight"); // (out, in)
            long[] shape = w.getShape().getShape();
            int out = Math.toIntExact(shape[0]);
            int in = Math.toIntExact(shape[1]);
            int r = Math.toIntExact(pair.a().getShape().get(0));
            float[] wv = w.toFloatArray();
            float[] a = pair.a().toFloatArray(); // (r, in)
            float[] b = pair.b().toFloatArray(); // (out, r)
            double s = lora.scale();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double d = 0;
                    for (int k = 0; k < r; k++) {
                        d += (double) b[o * r + k] * a[k * in + i];
                    }
                    wv[o * in + i] = (float) (wv[o * in + i] + s * d);
                }
            }
            Tensors.assign(w, new HostTensor(shape, FloatBuffer.wrap(wv)));
        }
    }
}
