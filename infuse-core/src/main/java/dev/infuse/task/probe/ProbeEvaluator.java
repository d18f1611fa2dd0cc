package dev.infuse.task.probe;

import ai.djl.ndarray.NDManager;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.inject.KnowledgeStack;
import dev.infuse.inject.SubjectHint;
import dev.infuse.inject.TextRow;
import dev.infuse.io.Progress;
import dev.infuse.model.FillMask;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores a masked LM on LAMA probes: the rank of the answer token among the candidates at the mask.
 *
 * <p>Probes stream from the file in batches. A probe whose answer is not exactly one vocabulary token,
 * or whose sentence does not encode to exactly one mask, is skipped and counted by reason.
 */
public final class ProbeEvaluator {
    /** @param wholeWordAnswers rank only over whole-word vocabulary entries (no {@code ##} pieces, no specials) */
    public record Options(int batchSize, boolean wholeWordAnswers) {
        public Options {
            if (batchSize < 1) {
                throw new dev.infuse.InfuseException("--batch-size must be at least 1, got " + batchSize);
            }
        }
    }

    private final MaskedLm lm;
    private final Function<ProbeItem, InputRow> encoder;
    private final Options options;
    private final boolean[] candidate;
    private ProbeLog log;

    /** @param encoder turns a probe into model input; {@link #plainEncoder} unless entities are plugged in */
    public ProbeEvaluator(MaskedLm lm, Function<ProbeItem, InputRow> encoder, Options options) {
        this.lm = lm;
        this.encoder = encoder;
        this.options = options;
        this.candidate = candidates(lm.tokenizer(), lm.model().config().vocabSize(), options.wholeWordAnswers());
    }

    /** Also hands every probe's outcome (its top {@code k} candidates, or why it was skipped) to {@code log}. */
    public ProbeEvaluator logTo(ProbeLog log) {
        this.log = log;
        return this;
    }

    /** The sentence as the tokenizer reads it, with LAMA's {@code [MASK]} spelled as the model's mask token. */
    public static Function<ProbeItem, InputRow> plainEncoder(Tokenizer tok) {
        return item -> InputRow.of(tok.encode(item.sentence().replace("[MASK]", tok.maskToken())).ids());
    }

    /**
     * Probes through knowledge plug-ins, their modules attached to {@code lm}'s encoder until closed. Each probe
     * hints its subject ({@link SubjectHint}), so a PELT table links the subject it is about.
     */
    public static Plugged plugged(MaskedLm lm, KnowledgeStack stack) {
        Tokenizer tok = lm.tokenizer();
        KnowledgeStack.Attached attached = stack.attach(lm.model());
        Function<ProbeItem, InputRow> encoder = item -> {
            String text = item.sentence().replace("[MASK]", tok.maskToken());
            Map<String, Object> hints = item.entity().isEmpty() ? Map.of() : Map.of(SubjectHint.KEY, new SubjectHint(item.subLabel(), item.entity()));
            TextRow r = stack.encode(tok, text, hints);
            long[] ids = new long[r.encoding().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.encoding().ids()[i];
            }
            return new InputRow(ids, r.overrides(), r.positions(), r.visibility(), null);
        };
        return new Plugged(encoder, attached);
    }

    /** A probe encoder with the plug-ins' modules attached; closing detaches them. */
    public record Plugged(Function<ProbeItem, InputRow> encoder, KnowledgeStack.Attached attached) implements AutoCloseable {
        @Override
        public void close() {
            attached.close();
        }
    }

    public ProbeScores evaluate(Path probes) {
        if (java.nio.file.Files.isDirectory(probes)) {
            throw new dev.infuse.InfuseException(probes + ": is a directory, expected a probe file");
        }
        if (!java.nio.file.Files.isRegularFile(probes)) {
            throw new dev.infuse.InfuseException("probe file not found: " + probes);
        }
        // The whole file is read before the model runs: a malformed line or a gzip cut short ends the command
        // before any work, not after the probes in front of it were scored. Probe files are small.
        List<ProbeItem> items = new ArrayList<>();
        LamaReader.forEach(probes, items::add);
        ProbeScores scores = new ProbeScores();
        try (Progress progress = new Progress("probe", items.size(), "probes")) {
            for (int from = 0; from < items.size(); from += options.batchSize()) {
                int done = from;
                dev.infuse.io.StopSignal.check(() -> "after " + done + " of " + items.size() + " probes; nothing was written");
                List<ProbeItem> batch = items.subList(from, Math.min(items.size(), from + options.batchSize()));
                score(batch, scores);
                progress.step(batch.size());
            }
        }
        return scores;
    }

    private void score(List<ProbeItem> items, ProbeScores scores) {
        Tokenizer tok = lm.tokenizer();
        List<ProbeItem> kept = new ArrayList<>();
        List<InputRow> rows = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        List<Integer> masks = new ArrayList<>();
        for (ProbeItem item : items) {
            int answer = singleToken(tok, item.objLabel());
            if (answer < 0) {
                skip(scores, item, "answer is not one vocabulary token");
                continue;
            }
            if (!candidate[answer]) {
                skip(scores, item, "answer is not a whole-word vocabulary entry");
                continue;
            }
            InputRow row = encoder.apply(item);
            int mask = onlyMask(row.ids(), tok.maskId());
            if (mask < 0) {
                skip(scores, item, "sentence does not encode to exactly one mask");
                continue;
            }
            if (row.length() > lm.model().config().maxSequenceLength()) {
                skip(scores, item, "sentence longer than the model's positions");
                continue;
            }
            kept.add(item);
            rows.add(row);
            answers.add(answer);
            masks.add(mask);
        }
        if (kept.isEmpty()) {
            return;
        }
        float[] logits = maskLogits(rows, masks);
        int v = lm.model().config().vocabSize();
        for (int i = 0; i < kept.size(); i++) {
            int rank = rank(logits, i * v, v, answers.get(i), candidate);
            scores.add(kept.get(i), rank);
            if (log != null) {
                log.scored(kept.get(i), rank, logits, i * v, v, candidate, tok);
            }
        }
    }

    private void skip(ProbeScores scores, ProbeItem item, String reason) {
        scores.skip(reason);
        if (log != null) {
            log.skipped(item, reason);
        }
    }

    /** Logits (N, V), flattened, at each row's mask. */
    private float[] maskLogits(List<InputRow> rows, List<Integer> masks) {
        List<long[]> where = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            where.add(new long[] {i, masks.get(i)});
        }
        Tensors.noGrad();
        try (NDManager m = Engines.newManager()) {
            return lm.model().mlmLogits(FillMask.transformAtMasks(m, lm, rows, where)).toFloatArray(); // (N, V)
        }
    }

    /**
     * 1 + the number of candidates scoring strictly higher than the answer; {@link ProbeScores#UNRANKED} when the
     * answer's or any candidate's score is NaN, because every comparison with NaN is false and the answer
     * would otherwise come out first.
     */
    static int rank(float[] logits, int from, int v, int answer, boolean[] candidate) {
        float a = logits[from + answer];
        if (Float.isNaN(a)) {
            return ProbeScores.UNRANKED;
        }
        int higher = 0;
        for (int i = 0; i < v; i++) {
            if (!candidate[i]) {
                continue;
            }
            float x = logits[from + i];
            if (Float.isNaN(x)) {
                return ProbeScores.UNRANKED;
            }
            if (x > a) {
                higher++;
            }
        }
        return higher + 1;
    }

    /** The id of a label that is exactly one non-special token, or -1. */
    static int singleToken(Tokenizer tok, String label) {
        Encoding e = tok.encode(label);
        int id = -1;
        for (int i = 0; i < e.ids().length; i++) {
            if (e.special()[i]) {
                continue;
            }
            if (id >= 0) {
                return -1;
            }
            id = e.ids()[i];
        }
        return id;
    }

    static int onlyMask(long[] ids, int maskId) {
        int at = -1;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == maskId) {
                if (at >= 0) {
                    return -1;
                }
                at = i;
            }
        }
        return at;
    }

    /** Which vocabulary entries may be predicted: never specials; with whole words, no pieces or bracketed tokens. */
    static boolean[] candidates(Tokenizer tok, int modelVocab, boolean wholeWord) {
        boolean[] ok = new boolean[modelVocab];
        for (int id = 0; id < Math.min(modelVocab, tok.vocabSize()); id++) {
            if (tok.isSpecial(id)) {
                continue;
            }
            String t = tok.idToToken(id);
            ok[id] = !wholeWord || !(t.startsWith("##") || (t.startsWith("[") && t.endsWith("]")) || t.isEmpty());
        }
        return ok;
    }
}
