package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every integer flag declares its range, and a value outside it is one line with exit 2 before any work. */
class RangesTest {
    @Test
    void everyIntegerFlagOfEveryCommandDeclaresItsRange() {
        List<String> unbounded = Ranges.unbounded(new CommandLine(new Main()));
        assertEquals(List.of(), unbounded, "integer flags without @Range");
    }

    @Test
    void evalBatchSizeZeroIsRefusedInsteadOfLoopingForever() {
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.of("eval", "--model", "nowhere", "--test", "t.conll",
                "--batch-size", "0"));
        assertEquals(2, r.code(), r.err());
        assertEquals("infuse: --batch-size must be at least 1, found 0", r.err().strip());
    }

    @Test
    void aNegativeBatchSizeIsTheSameLine() {
        CliRun r = CliRun.of("predict", "--model", "nowhere", "--input", "x.txt", "--batch-size", "-1");
        assertEquals(2, r.code(), r.err());
        assertEquals("infuse: --batch-size must be at least 1, found -1", r.err().strip());
    }

    @Test
    void boundsAreCheckedOnMixinsAndSubcommandsToo() {
        CliRun r = CliRun.of("probe", "--model", "m", "--probes", "p.jsonl", "--top-k", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("infuse: --top-k must be at least 1, found 0"), r.err());
        CliRun t = CliRun.of("fill-mask", "--threads", "0", "a [MASK] b");
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("--threads must be at least 1"), t.err());
    }
}
