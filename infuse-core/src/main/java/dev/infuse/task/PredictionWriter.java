package dev.infuse.task;

import com.google.gson.Gson;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.task.ner.NerSentence;
import dev.infuse.task.ner.NerSet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes predictions a person or a script can read: CoNLL for NER by default (one word a line, {@code word<TAB>gold<TAB>predicted}
 * as conlleval reads it, or {@code word<TAB>predicted} without gold, a blank line after each sentence), jsonl for
 * the other tasks (the example's own fields, then {@code gold}, {@code label} and {@code score}, the predicted
 * label's probability).
 */
public final class PredictionWriter {
    private static final Gson GSON = dev.infuse.io.Jsons.compact();

    private PredictionWriter() {}

    /**
     * What to write.
     *
     * @param withGold whether the set's labels are gold to repeat (a task file) or placeholders (plain text)
     * @param jsonl NER as jsonl (a sentence a line: words, gold, labels, scores) instead of CoNLL; the other tasks are always jsonl
     * @param logits add each prediction's raw logits (label ids as in config.json's id2label) to jsonl
     * @param asScored what eval scored: a word {@code --max-seq-length} cut away is written as the "O" it was scored
     *     as; otherwise it gets an empty label (and jsonl lists it under {@code truncated}), since nothing predicted it
     */
    public record Options(boolean withGold, boolean jsonl, boolean logits, boolean asScored) {
        public Options(boolean withGold, boolean jsonl, boolean logits) {
            this(withGold, jsonl, logits, false);
        }

        public static Options scored() {
            return new Options(true, false, false, true);
        }

        String cut() {
            return asScored ? "O" : "";
        }
    }

    /** Writes {@code file} whole or not at all; see {@link #write(TaskSet, Predictor.Predictions, Labels, Options, Writer)}. */
    public static void write(Path file, TaskSet set, Predictor.Predictions p, Labels labels, Options options) {
        AtomicFiles.write(file, o -> {
            Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            write(set, p, labels, options, w);
            w.flush();
        });
    }

    public static void write(TaskSet set, Predictor.Predictions p, Labels labels, Options options, Writer out) {
        boolean withGold = options.withGold();
        try {
            BufferedWriter w = new BufferedWriter(out, 1 << 16);
            if (set instanceof NerSet ner && options.jsonl()) {
                writeNerJsonl(ner, p, labels, options, w);
            } else if (set instanceof NerSet ner) {
                if (options.logits()) {
                    throw new InfuseException("logits need jsonl: CoNLL has no column for them");
                }
                writeConll(ner, p, labels, options, w);
            } else if (set instanceof SingleLabelSet<?> single) {
                writeJsonl(single, p, labels, options, w);
            } else {
                throw new IllegalArgumentException("no prediction format for " + set.getClass().getSimpleName());
            }
            w.flush();
        } catch (IOException e) {
            throw new InfuseException("cannot write predictions: " + e.getMessage());
        }
    }

    private static void writeConll(NerSet set, Predictor.Predictions p, Labels labels, Options options, BufferedWriter w) throws IOException {
        boolean withGold = options.withGold();
        List<NerSentence> sentences = set.sentences();
        for (int i = 0; i < sentences.size(); i++) {
            NerSentence s = sentences.get(i);
            for (int k = 0; k < s.size(); k++) {
                int pred = p.label(i, k);
                w.write(s.words().get(k));
                if (withGold) {
                    w.write('\t');
                    w.write(s.tags().get(k));
                }
                w.write('\t');
                w.write(pred < 0 ? options.cut() : labels.name(pred));
                w.write('\n');
            }
            w.write('\n');
        }
    }

    private static void writeNerJsonl(NerSet set, Predictor.Predictions p, Labels labels, Options options, BufferedWriter w)
            throws IOException {
        List<NerSentence> sentences = set.sentences();
        for (int i = 0; i < sentences.size(); i++) {
            NerSentence s = sentences.get(i);
            List<String> names = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            List<Integer> cut = new ArrayList<>();
            for (int k = 0; k < s.size(); k++) {
                int pred = p.label(i, k);
                names.add(pred < 0 ? options.cut() : labels.name(pred));
                scores.add(pred < 0 ? null : p.score(i, k));
                if (pred < 0) {
                    cut.add(k);
                }
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("words", s.words());
            if (options.withGold()) {
                o.put("gold", s.tags());
            }
            o.put("labels", names);
            o.put("scores", scores);
            if (!cut.isEmpty()) {
                o.put("truncated", cut); // the words past --max-seq-length, by index: nothing predicted them
            }
            if (options.logits()) {
                o.put("logits", p.logits().get(i)); // a word truncation dropped has null
            }
            w.write(GSON.toJson(o));
            w.write('\n');
        }
    }

    private static void writeJsonl(SingleLabelSet<?> set, Predictor.Predictions p, Labels labels, Options options, BufferedWriter w)
            throws IOException {
        for (int i = 0; i < set.size(); i++) {
            Map<String, Object> o = new LinkedHashMap<>(set.fields(i));
            if (options.withGold()) {
                o.put("gold", set.gold(i));
            }
            int id = p.label(i, 0);
            o.put("label", id < 0 ? null : labels.name(id)); // null: truncation cut the target away
            o.put("score", id < 0 ? null : p.score(i, 0));
            if (id < 0) {
                o.put("truncated", true);
            }
            if (options.logits()) {
                o.put("logits", p.logits().get(i)[0]);
            }
            w.write(GSON.toJson(o));
            w.write('\n');
        }
    }
}
