package dev.infuse.cli;

import dev.infuse.inject.pelt.PeltPlugin;
import dev.infuse.model.FillMask;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fill-mask", description = "Predict the tokens behind each [MASK].")
final class FillMaskCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption model;

    @Range(min = 1)
    @Option(names = "--top-k", defaultValue = "5", description = "Candidates per mask (default ${DEFAULT-VALUE}).")
    int topK;

    @Mixin
    JsonOption json;

    @Mixin
    EntityTableOptions entityTable;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Sentences with one or more [MASK] tokens.")
    List<String> texts;

    @Override
    public Integer call() {
        try (MaskedLm lm = MaskedLm.load(model.name)) {
            int vocab = lm.model().config().vocabSize();
            if (topK > vocab) { // every candidate is listed anyway; say so instead of capping in silence
                System.err.println("infuse: warning: --top-k " + topK + " is more than the vocabulary's " + vocab + " tokens; all "
                        + vocab + " are listed");
            }
            PeltPlugin plug = entityTable.plugin(lm);
            List<FillMask.Result> results;
            if (plug == null) {
                results = FillMask.predict(lm, texts, topK);
            } else {
                List<InputRow> rows = new ArrayList<>();
                for (String t : texts) {
                    FillMask.encode(lm, t); // the same checks as without a table: non-empty, has a mask
                    rows.add(plug.encode(t, plug.link(t)));
                }
                results = FillMask.predictRows(lm, texts, rows, topK);
            }
            if (json.requested) {
                Json.print(Map.of("results", toJson(results)));
            } else {
                print(results);
            }
        }
        return 0;
    }

    static void print(List<FillMask.Result> results) {
        for (FillMask.Result r : results) {
            System.out.println(r.text());
            for (FillMask.Prediction p : r.masks()) {
                StringBuilder line = new StringBuilder("  ");
                for (FillMask.Candidate c : p.top()) {
                    line.append(String.format("%-14s %7.4f   ", c.token(), c.logit()));
                }
                System.out.println(line.toString().stripTrailing());
            }
        }
    }

    static List<Object> toJson(List<FillMask.Result> results) {
        List<Object> out = new ArrayList<>();
        for (FillMask.Result r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("text", r.text());
            o.put("ids", r.ids());
            List<Object> masks = new ArrayList<>();
            for (FillMask.Prediction p : r.masks()) {
                List<Object> top = new ArrayList<>();
                for (FillMask.Candidate c : p.top()) {
                    Map<String, Object> cand = new LinkedHashMap<>();
                    cand.put("token", c.token());
                    cand.put("id", c.id());
                    cand.put("logit", c.logit());
                    cand.put("probability", c.probability());
                    top.add(cand);
                }
                Map<String, Object> mask = new LinkedHashMap<>();
                mask.put("position", p.position());
                mask.put("top", top);
                masks.add(mask);
            }
            o.put("masks", masks);
            out.add(o);
        }
        return out;
    }
}
