package dev.infuse.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Matrix products in bfloat16 without a bfloat16 array in Java. DJL 0.34 (and 0.36) abort the JVM on any
 * bf16 NDArray, so the cast happens inside libtorch: a small TorchScript module ({@link TorchScriptArchive})
 * takes float32 tensors, casts them to bf16, multiplies (oneDNN's bf16 kernels) and returns float32.
 * Autograd records the casts and the product like any other op, so gradients come back float32 to the
 * float32 master weights. See docs/DJL.md for the routes that did not work.
 */
public final class Bf16Kernels {
    /** TorchScript source of module {@code __torch__.Bf16Kernels}; 15 is torch.bfloat16 and 6 torch.float32. */
    static final String SOURCE = String.join("\n",
            "class Bf16Kernels(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Bf16Kernels, a: Tensor, b: Tensor) -> Tensor:",
            "    return (self).matmul(a, b, )",
            "  def matmul(self: __torch__.Bf16Kernels, a: Tensor, b: Tensor) -> Tensor:",
            "    return torch.to(torch.matmul(torch.to(a, 15), torch.to(b, 15)), 6)",
            "  def linear(self: __torch__.Bf16Kernels, x: Tensor, w: Tensor, b: Tensor) -> Tensor:",
            "    return torch.to(torch.linear(torch.to(x, 15), torch.to(w, 15), torch.to(b, 15)), 6)",
            "  def linear_nobias(self: __torch__.Bf16Kernels, x: Tensor, w: Tensor) -> Tensor:",
            "    return torch.to(torch.linear(torch.to(x, 15), torch.to(w, 15)), 6)",
            "");

    private static volatile Bf16Kernels instance;

    private final PtSymbolBlock module;
    private final Object lib;
    private final Method run;
    private final Constructor<IValue> wrap;

    private Bf16Kernels(PtSymbolBlock module) throws ReflectiveOperationException {
        this.module = module;
        // DJL's public runMethod always runs without autograd; its package-private native call takes the flag.
        Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field f = c.getDeclaredField("LIB");
        f.setAccessible(true);
        this.lib = f.get(null);
        this.run = c.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
        run.setAccessible(true);
        this.wrap = IValue.class.getDeclaredConstructor(long.class);
        wrap.setAccessible(true);
    }

    /** The loaded kernels, once per JVM; throws if the engine cannot load or run them. */
    public static Bf16Kernels get() {
        Bf16Kernels k = instance;
        if (k == null) {
            synchronized (Bf16Kernels.class) {
                if (instance == null) {
                    instance = load();
                }
                k = instance;
            }
        }
        return k;
    }

    private static Bf16Kernels load() {
        PtNDManager system = (PtNDManager) Engines.newManager();
        try {
            byte[] archive = TorchScriptArchive.build("bf16_kernels", "Bf16Kernels", SOURCE);
            PtSymbolBlock block = JniUtils.loadModule(system, new ByteArrayInputStream(archive), true, false);
            return new Bf16Kernels(block);
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            system.close();
            throw new IllegalStateException("cannot load the bf16 TorchScript kernels: " + e, e);
        }
    }

    /** {@code x W^T + b} with the product in bf16: x (..., in), w (out, in), b (out) or null to (..., out), all float32. */
    public NDArray linear(NDArray x, NDArray w, NDArray b) {
        return b == null ? call("linear_nobias", x, w) : call("linear", x, w, b);
    }

    /** {@code a @ b} with the product in bf16, broadcasting as torch.matmul: float32 in, float32 out. */
    public NDArray matmul(NDArray a, NDArray b) {
        return call("matmul", a, b);
    }

    /** Runs one method; the result belongs to the first operand's manager, as DJL's own ops do. */
    private NDArray call(String method, NDArray... args) {
        IValue[] in = new IValue[args.length];
        long[] handles = new long[args.length];
        try {
            for (int i = 0; i < args.length; i++) {
                in[i] = IValue.from((PtNDArray) args[i]);
                handles[i] = in[i].getHandle();
            }
            // true: run under the calling thread's grad mode; false would force no_grad even in training.
            long out = (long) run.invoke(lib, module.getHandle(), method, handles, true, false);
            try (IValue result = wrap.newInstance(out)) {
                return result.toTensor((PtNDManager) args[0].getManager());
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        } finally {
            for (IValue v : in) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }
}
