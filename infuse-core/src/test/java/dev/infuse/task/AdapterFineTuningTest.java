package dev.infuse.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.inject.KnowledgeSpec;
import dev.infuse.inject.adapter.LoraSpec;
import dev.infuse.train.KillAfter;
import dev.infuse.train.TinyRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fine-tune with a LoRA, killed and resumed, ends bit-identical; a resume with another rank is refused. */
class AdapterFineTuningTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    static Path tmp;
    static Path model;
    static Path train;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        train = TinyTasks.ner(tmp.resolve("train.conll"), 40, 11);
    }

    static FinetuneJob job(Path out, boolean resume, int r) {
        KnowledgeSpec lora = new LoraSpec(r, 8f, 0f, LoraSpec.DEFAULT_TARGETS);
        return new FinetuneJob(model.toString(), "ner", train, train, Transfer.FULL, 0, 8, 32, 5e-3f, 1, 30, 10, 100, 0.1f, 3, out, false,
                resume, 0f, List.of(lora));
    }

    @Test
    void aKilledLoraRunResumesBitIdentically() throws Exception {
        Path whole = tmp.resolve("whole");
        Path cut = tmp.resolve("cut");
        FineTuning.run(job(whole, false, 4), List.of(), QUIET);
        assertThrows(IllegalStateException.class, () -> FineTuning.run(job(cut, false, 4), List.of(new KillAfter(17)), QUIET));
        InfuseException other = assertThrows(InfuseException.class, () -> FineTuning.run(job(cut, true, 8), List.of(), QUIET));
        assertTrue(other.getMessage().startsWith("cannot resume: " + cut + " holds a different run (") && other.getMessage().contains("lora-r: 4 there, 8 here"),
                other.getMessage());
        FineTuning.run(job(cut, true, 4), List.of(), QUIET);
        for (String f : List.of("adapter_model.safetensors", "head.safetensors", "dev_scores.jsonl")) {
            assertEquals(-1L, Files.mismatch(whole.resolve(f), cut.resolve(f)), f);
        }
    }
}
