package dev.infuse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What auto picks on each kind of CPU, and what a forced bf16 does where the engine cannot run it. */
class PrecisionChoiceTest {
    static final CpuFlags AMX = new CpuFlags("Xeon", Set.of("avx512f", "avx512_bf16", "amx_bf16", "amx_tile"));
    static final CpuFlags ZEN5 = new CpuFlags("EPYC", Set.of("avx512f", "avx512bw", "avx512_bf16"));
    static final CpuFlags AVX2 = new CpuFlags("EPYC", Set.of("avx2", "fma"));

    @Test
    void parsesTheThreeChoicesAndRefusesAnythingElse() {
        assertNull(Precision.parseChoice("auto"));
        assertEquals(Precision.FP32, Precision.parseChoice("fp32"));
        assertEquals(Precision.BF16, Precision.parseChoice(" BF16 "));
        InfuseException e = assertThrows(InfuseException.class, () -> Precision.parseChoice("bf17"));
        assertEquals("--precision must be auto, fp32 or bf16, got 'bf17'", e.getMessage());
    }

    @Test
    void autoPicksBf16OnlyWithBf16InstructionsAndWorkingKernels() {
        assertEquals(Precision.BF16, PrecisionChoice.decide(null, AMX, () -> null).precision());
        assertEquals(Precision.BF16, PrecisionChoice.decide(null, ZEN5, () -> null).precision());
        PrecisionChoice avx2 = PrecisionChoice.decide(null, AVX2, () -> {
            throw new AssertionError("a CPU without bf16 instructions must not even try the kernels");
        });
        assertEquals(Precision.FP32, avx2.precision());
        assertEquals("precision fp32 (auto: EPYC, no bf16 instructions)", avx2.message());
        PrecisionChoice broken = PrecisionChoice.decide(null, ZEN5, () -> "no kernels");
        assertEquals(Precision.FP32, broken.precision());
        assertTrue(broken.message().contains("but no kernels"), broken.message());
    }

    @Test
    void forcedChoicesAreKeptAndAnImpossibleBf16IsAUserError() {
        assertEquals(Precision.FP32, PrecisionChoice.decide(Precision.FP32, AMX, () -> null).precision());
        PrecisionChoice slow = PrecisionChoice.decide(Precision.BF16, AVX2, () -> null);
        assertEquals(Precision.BF16, slow.precision());
        assertTrue(slow.message().contains("emulated and slow"), slow.message());
        InfuseException e = assertThrows(InfuseException.class, () -> PrecisionChoice.decide(Precision.BF16, ZEN5, () -> "no kernels"));
        assertEquals("--precision bf16: the engine cannot compute bf16 here (no kernels)", e.getMessage());
    }

    @Test
    void readsTheFirstProcessorsModelAndFlags() {
        CpuFlags f = CpuFlags.parse("processor\t: 0\nmodel name\t: AMD EPYC 9B45\nflags\t\t: fpu avx512f avx512_bf16\n\n"
                + "processor\t: 1\nmodel name\t: other\nflags\t\t: fpu\n");
        assertEquals("AMD EPYC 9B45", f.model());
        assertTrue(f.avx512Bf16());
        assertTrue(!f.amx() && f.nativeBf16());
        assertEquals("avx512_bf16", f.bf16Instructions());
        assertEquals("amx_bf16 avx512_bf16", AMX.bf16Instructions());
    }
}
