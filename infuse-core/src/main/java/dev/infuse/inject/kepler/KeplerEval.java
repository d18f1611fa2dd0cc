package dev.infuse.inject.kepler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Progress;
import dev.infuse.io.StopSignal;
import dev.infuse.kge.KgIds;
import dev.infuse.kge.KgeConfig;
import dev.infuse.kge.KgeModel;
import dev.infuse.kge.KnownTriples;
import dev.infuse.kge.LinkPrediction;
import dev.infuse.kge.TripleFile;
import dev.infuse.kge.Triples;
import dev.infuse.model.Batches;
import dev.infuse.model.InputRow;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Link prediction as KEPLER evaluates it: every candidate entity's embedding is computed from its description by the
 * trained encoder (so an entity the run never saw is ranked like any other), the relation vectors come from the run,
 * and the ranking is the filtered protocol of {@link LinkPrediction}, TransE-L2 with KEPLER's margin.
 */
public final class KeplerEval {
    /** The metrics of each test set, and how many entities were encoded in how long. */
    public record Result(List<LinkPrediction.Metrics> metrics, int entities, double encodeSeconds) {}

    private KeplerEval() {}

    /** The relation vectors a {@code --method mlm+kepler} run saved beside its model, by relation id. */
    public static Map<String, float[]> relations(Path run) {
        Path modules = run.resolve("modules.safetensors");
        if (!Files.isRegularFile(modules)) {
            throw new InfuseException(run + " has no modules.safetensors: it is not a pretraining run with KEPLER's relations (infuse pretrain --method mlm+kepler)");
        }
        Map<String, float[]> out = new TreeMap<>();
        for (Map.Entry<String, HostTensor> e : Safetensors.read(modules).entrySet()) {
            if (e.getKey().startsWith(KeplerObjective.RELATION)) {
                float[] v = new float[e.getValue().data().remaining()];
                e.getValue().data().duplicate().get(v);
                out.put(e.getKey().substring(KeplerObjective.RELATION.length()), v);
            }
        }
        if (out.isEmpty()) {
            throw new InfuseException(modules + " holds no " + KeplerObjective.RELATION + "* vectors: the run trained no KEPLER objective");
        }
        return out;
    }

    /** The description length the run trained with ({@code provenance.json}), or null when it does not say. */
    public static Integer trainedDescriptionTokens(Path run) {
        try {
            JsonObject p = JsonParser.parseString(Files.readString(run.resolve("provenance.json"))).getAsJsonObject();
            JsonElement v = p.getAsJsonObject("settings").get("kepler-description-tokens");
            return v == null ? null : v.getAsInt();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Ranks each of {@code tests} with entity embeddings computed once (encoding the candidates is most of the cost).
     *
     * @param candidates the entities to rank among, or null for every entity of the test and known triples
     */
    public static Result evaluate(MaskedLm lm, Path run, List<List<TripleFile.Row>> tests, List<List<TripleFile.Row>> known, List<String> candidates,
            Descriptions source, int maxTokens, int batchSize, PrintStream log) {
        Map<String, float[]> rel = relations(run);
        List<String> relationIds = new ArrayList<>(rel.keySet());
        Set<String> ents = new LinkedHashSet<>();
        if (candidates != null) {
            ents.addAll(candidates);
        } else {
            for (List<TripleFile.Row> rows : concat(tests, known)) {
                rows.forEach(r -> {
                    ents.add(r.head());
                    ents.add(r.tail());
                });
            }
        }
        KgIds ids = new KgIds(new ArrayList<>(ents), relationIds);
        List<Triples> indexed = new ArrayList<>();
        for (List<TripleFile.Row> test : tests) {
            indexed.add(ids.index(test, "the run " + run + " has no vector for it (relations: " + String.join(", ", relationIds) + ")"));
        }
        int h = lm.model().config().hiddenSize();
        for (float[] v : rel.values()) {
            if (v.length != h) {
                throw new InfuseException(run + ": a KEPLER relation vector has " + v.length + " numbers, the model's hidden size is " + h);
            }
        }
        long t0 = System.nanoTime();
        float[] entityRows = encode(lm, ids.entities(), source, maxTokens, batchSize);
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.printf(java.util.Locale.ROOT, "infuse: kepler eval: encoded %d entity descriptions in %.1f s (%.1f a second)%n", ids.entities().size(), seconds,
                ids.entities().size() / Math.max(seconds, 1e-9));
        float[] relRows = new float[relationIds.size() * h];
        for (int i = 0; i < relationIds.size(); i++) {
            System.arraycopy(rel.get(relationIds.get(i)), 0, relRows, i * h, h);
        }
        List<LinkPrediction.Metrics> metrics = new ArrayList<>();
        try (KgeModel model = new KgeModel(new KgeConfig(KgeConfig.Model.TRANSE, 2, h, KeplerLoss.GAMMA, 1f), entityRows, ids.entities().size(), relRows,
                relationIds.size())) {
            for (Triples triples : indexed) {
                List<Triples> all = new ArrayList<>();
                all.add(triples); // a test triple is known even if no --known file lists it
                known.forEach(k -> all.add(ids.indexKnown(k)));
                KnownTriples filter = new KnownTriples(Triples.concat(all.toArray(Triples[]::new)), relationIds.size());
                metrics.add(LinkPrediction.evaluate(model, triples, filter, "kepler eval", true));
            }
        }
        return new Result(metrics, ids.entities().size(), seconds);
    }

    private static List<List<TripleFile.Row>> concat(List<List<TripleFile.Row>> tests, List<List<TripleFile.Row>> known) {
        List<List<TripleFile.Row>> out = new ArrayList<>(tests);
        out.addAll(known);
        return out;
    }

    /**
     * Each entity's embedding, row-major (E x H), batched by description length so a batch pads little. An entity
     * without a description is an error naming it.
     */
    static float[] encode(MaskedLm lm, List<String> entities, Descriptions source, int maxTokens, int batchSize) {
        int h = lm.model().config().hiddenSize();
        List<InputRow> rows = new ArrayList<>();
        for (String e : entities) {
            String d = source.of(e);
            if (d == null) {
                throw new InfuseException("the entity \"" + e + "\" has no description in " + source.describe() + "; KEPLER embeds every candidate from its description");
            }
            rows.add(DescriptionRows.row(lm.tokenizer(), d, maxTokens));
        }
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> rows.get(i).length()));
        float[] out = new float[Math.multiplyExact(entities.size(), h)];
        Tensors.noGrad();
        try (Progress p = new Progress("kepler eval: descriptions", rows.size(), "entities")) {
            for (int from = 0; from < order.length; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                List<InputRow> batch = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    batch.add(rows.get(order[i]));
                }
                float[] pooled;
                try (NDManager s = Engines.newManager()) {
                    NDArray hidden = lm.model().forward(s, Batches.padded(batch, lm.tokenizer().padId(), lm.model().config()), false).lastHidden(); // (B, T, H)
                    pooled = DescriptionRows.pool(hidden).toFloatArray(); // (B, H)
                }
                for (int i = from; i < to; i++) {
                    System.arraycopy(pooled, (i - from) * h, out, order[i] * h, h);
                }
                p.step(to - from);
                int done = to;
                StopSignal.check(() -> "after " + done + " of " + order.length + " entity descriptions; nothing was written");
            }
        }
        return out;
    }
}
