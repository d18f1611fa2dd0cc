package dev.infuse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator library the launcher preloads (src/main/native/aligned_reuse.c), built here with the C
 * compiler as the launcher builds it: its own checks in C, and a JVM running libtorch with it preloaded.
 */
class AlignedReuseTest {
    @TempDir
    static Path tmp;
    static Path library;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(run(List.of("cc", "--version"), Map.of()).exit == 0, "no C compiler: the launcher would not preload the library either");
        library = tmp.resolve("libinfuse-aligned-reuse.so");
        Result built = run(List.of("cc", "-shared", "-fPIC", "-O2", "-o", library.toString(), "infuse-core/src/main/native/aligned_reuse.c", "-ldl"), Map.of());
        assertEquals(0, built.exit, built.output);
    }

    @Test
    void alignedBlocksAreReusedAndBehaveAsGlibcs() throws Exception {
        Path check = tmp.resolve("aligned_reuse_check");
        Result built = run(List.of("cc", "-O2", "-o", check.toString(), "infuse-core/src/test/native/aligned_reuse_check.c"), Map.of());
        assertEquals(0, built.exit, built.output);
        Result r = run(List.of(check.toString()), Map.of("LD_PRELOAD", library.toString()));
        assertEquals("OK", r.output.strip(), r.output);
        assertEquals(0, r.exit);
    }

    @Test
    void libtorchComputesTheSameWithTheLibraryPreloaded() throws Exception {
        List<String> cmd = dev.infuse.ChildJvm.command(tmp.resolve("crash"), PreloadCheck.class.getName(), List.of());
        // The launcher's allocator settings, with which the library's aligned blocks are served from the heap.
        Map<String, String> launcher = Map.of("MALLOC_ARENA_MAX", "1", "MALLOC_MMAP_MAX_", "0");
        Result plain = run(cmd, launcher);
        Map<String, String> preloaded = new java.util.HashMap<>(launcher);
        preloaded.put("LD_PRELOAD", library.toString());
        Result withLibrary = run(cmd, preloaded);
        assertEquals(0, plain.exit, plain.output);
        assertEquals(0, withLibrary.exit, withLibrary.output);
        List<String> steps = plain.output.lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(20, steps.size(), plain.output);
        assertEquals(steps, withLibrary.output.lines().filter(l -> l.startsWith("step ")).toList());
        assertTrue(steps.stream().noneMatch(l -> l.contains("NaN")), plain.output);
    }

    record Result(int exit, String output) {}

    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
