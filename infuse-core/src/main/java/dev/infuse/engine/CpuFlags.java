package dev.infuse.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The x86 feature flags that decide whether bf16 matrix products run natively (from /proc/cpuinfo). */
public record CpuFlags(String model, Set<String> flags) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** This machine's flags; empty where /proc/cpuinfo is missing (not Linux), which means no native bf16. */
    public static CpuFlags here() {
        try {
            return parse(Files.readString(CPUINFO));
        } catch (IOException | RuntimeException e) {
            return new CpuFlags("unknown CPU", Set.of());
        }
    }

    /** The first processor's {@code model name} and {@code flags} lines. */
    static CpuFlags parse(String cpuinfo) {
        String model = "unknown CPU";
        Set<String> flags = new TreeSet<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown CPU")) {
                model = value;
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        return new CpuFlags(model, Set.copyOf(flags));
    }

    public boolean amx() {
        return flags.contains("amx_bf16");
    }

    public boolean avx512Bf16() {
        return flags.contains("avx512_bf16");
    }

    /** AMX or AVX512-BF16: the instructions oneDNN's bf16 matmul kernels use. */
    public boolean nativeBf16() {
        return amx() || avx512Bf16();
    }

    /** "amx_bf16", "avx512_bf16", or "no bf16 instructions", for messages and provenance. */
    public String bf16Instructions() {
        return amx() ? "amx_bf16" + (avx512Bf16() ? " avx512_bf16" : "") : avx512Bf16() ? "avx512_bf16" : "no bf16 instructions";
    }
}
