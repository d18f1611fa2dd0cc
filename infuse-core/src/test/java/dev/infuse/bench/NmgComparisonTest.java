package dev.infuse.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.nmg.NmgTiny;
import dev.infuse.task.TinyTasks;
import dev.infuse.train.TinyRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infuse bench --methods nmg} on a tiny model: a policy is trained, pretraining masks with it, the task reads the result. */
class NmgComparisonTest {
    @TempDir
    static Path tmp;

    @Test
    void nmgTrainsAPolicyThenPretrainsWithIt() throws Exception {
        TinyRun.oneThread();
        Path model = TinyRun.model(tmp.resolve("tiny"));
        Path bundle = NmgTiny.bundle(tmp.resolve("domain"));
        Path typing = Files.createDirectories(bundle.resolve("tasks/typing"));
        TinyTasks.typing(typing.resolve("train.jsonl"), 40, 1);
        TinyTasks.typing(typing.resolve("dev.jsonl"), 12, 2);
        TinyTasks.typing(typing.resolve("test.jsonl"), 12, 3);
        Path out = tmp.resolve("bench");
        Budget b = new Budget(2, 2, 16, 1, 1e-3f, 1, 0, 0, 0, dev.infuse.task.Transfer.TOP, 32, true, 7f, 16, 1f);
        new Comparison(model.toString(), bundle, TaskFiles.locate(bundle, null), List.of("nmg"), List.of("typing"), List.of(1L), false, b,
                out, "infuse bench (test)").run(new PrintStream(new ByteArrayOutputStream()));
        assertTrue(Files.exists(out.resolve("methods/nmg/policy/policy.json")));
        assertTrue(Files.readString(out.resolve("methods/nmg/model/provenance.json")).contains("nmg-policy-sha256"));
        assertTrue(Files.readAllLines(out.resolve("results.csv")).stream().anyMatch(l -> l.startsWith("nmg,typing,accuracy,all,")),
                String.join("\n", Files.readAllLines(out.resolve("results.csv"))));
    }
}
