package dev.infuse.engine;

import dev.infuse.InfuseException;
import java.util.function.Supplier;

/** The precision a process runs at and the one line that says why. */
record PrecisionChoice(Precision precision, String message) {
    /**
     * @param requested fp32, bf16, or null for auto
     * @param bf16Problem why the engine cannot run bf16 kernels, or null; asked only when bf16 is wanted
     */
    static PrecisionChoice decide(Precision requested, CpuFlags cpu, Supplier<String> bf16Problem) {
        String where = cpu.model() + ", " + cpu.bf16Instructions();
        if (requested == Precision.FP32) {
            return new PrecisionChoice(Precision.FP32, "precision fp32 (--precision fp32; " + where + ")");
        }
        if (requested == Precision.BF16) {
            String problem = bf16Problem.get();
            if (problem != null) {
                throw new InfuseException("--precision bf16: the engine cannot compute bf16 here (" + problem + ")");
            }
            String note = cpu.nativeBf16() ? "" : "; this CPU has no bf16 instructions, so bf16 products are emulated and slow";
            return new PrecisionChoice(Precision.BF16, "precision bf16 (--precision bf16; " + where + note
                    + "): matrix products in bf16, the rest fp32");
        }
        if (!cpu.nativeBf16()) {
            return new PrecisionChoice(Precision.FP32, "precision fp32 (auto: " + where + ")");
        }
        String problem = bf16Problem.get();
        if (problem != null) {
            return new PrecisionChoice(Precision.FP32, "precision fp32 (auto: " + where + ", but " + problem + ")");
        }
        return new PrecisionChoice(Precision.BF16, "precision bf16 (auto: " + where
                + "): matrix products in bf16, the rest fp32; --precision fp32 to turn off");
    }
}
