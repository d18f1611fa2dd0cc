package dev.infuse.engine;

import dev.infuse.InfuseException;
import java.util.Locale;

/**
 * The precision of matrix products. {@link #BF16} is mixed precision as {@code torch.autocast} does it on a
 * CPU: linear layers and attention products compute in bfloat16; norms, softmax, reductions, losses, the
 * optimizer and the weights stay float32. Everything that crosses into Java stays float32 (see docs/DJL.md).
 */
public enum Precision {
    FP32("fp32"),
    BF16("bf16");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** What the user asked for on the command line: a precision, or auto (null). */
    public static Precision parseChoice(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> null;
            case "fp32" -> FP32;
            case "bf16" -> BF16;
            default -> throw new InfuseException("--precision must be auto, fp32 or bf16, got '" + text + "'");
        };
    }
}
