package dev.infuse.train;

import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.WordPieceTokenizer;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PlainCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny model directory and a small memorisable corpus for training and CLI tests. */
public final class TinyRun {
    static final List<String> LINES = List.of(
            "the cat sat on the mat", "a dog ran in the park", "red apples grow on tall trees",
            "", "the sun rises in the east", "cold rivers run to the sea", "birds sing when the sun rises");

    private TinyRun() {}

    public static List<String> words() {
        List<String> w = new ArrayList<>();
        for (String l : LINES) {
            for (String x : l.split(" ")) {
                if (!x.isEmpty() && !w.contains(x)) {
                    w.add(x);
                }
            }
        }
        w.add("##s");
        return w;
    }

    public static WordPieceTokenizer tokenizer() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(words());
        return new WordPieceTokenizer(vocab, true, true, "tiny");
    }

    /** Writes a random 2-layer, hidden-32 model with the tiny vocabulary into {@code dir}. */
    public static Path model(Path dir) {
        WordPieceTokenizer tok = tokenizer();
        try (MaskedLm lm = new MaskedLm(BertModel.random(BertConfig.tiny(tok.vocabSize()), 1), tok, "tiny")) {
            lm.save(dir, Provenance.of("model"));
        }
        return dir;
    }

    public static Path corpus(Path file) throws IOException {
        Files.write(file, LINES);
        return file;
    }

    static TrainSettings settings(int steps) {
        return new TrainSettings(4, 16, 1e-3f, 2, LrSchedule.Kind.LINEAR, 1f, 1, Freeze.none(), 0, steps, 7, 0.01f, 0.15);
    }

    static PretrainJob job(Path model, Path corpus, String masking, TrainSettings s, Path out, boolean resume) {
        return new PretrainJob(model.toString(), new PlainCorpus(corpus), masking, InstanceStream.Packing.LINE, s, out, resume, false);
    }

    /**
     * Tiny models run far faster on one intra-op thread, and on a loaded 2-core machine two threads spin
     * against other processes (a 150-step run took 64 s instead of 3 s). Ignored when another test class
     * already started the engine.
     */
    public static void oneThread() {
        try {
            dev.infuse.engine.Engines.setThreads(1);
        } catch (IllegalStateException alreadyStarted) {
            // Keep the running engine's threads.
        }
    }

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
}
